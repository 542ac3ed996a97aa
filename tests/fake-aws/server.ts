/**
 * A local AWS fake that the real SDK v3 clients talk to over HTTP, via `AWS_ENDPOINT_URL` (or a
 * client's `endpoint`). One loopback endpoint serves every service and region.
 *
 * Routing: the SigV4 `Authorization` header's credential scope,
 * `Credential=AKID/20261125/<region>/<service>/aws4_request`, names the service (lightsail, ssm,
 * iam, sts, sns) and the region; signatures are not verified. The operation is the
 * `X-Amz-Target` suffix for awsJson1_1 (Lightsail, SSM) and the `Action` form field for awsQuery
 * (IAM, STS, SNS). Each call then goes through, in order:
 *   1. recording in `calls` (with the instance or load balancer a Lightsail call names);
 *   2. the global `settings.latencyMs` delay;
 *   3. the first matching fault rule (see faults.ts);
 *   4. region checks: in a region of `account.disabledRegions` (an opt-in region not enabled)
 *      every call but IAM's fails as AWS fails it, `UnrecognizedClientException` (json, 400) or
 *      `InvalidClientTokenId` (query, 403), "The security token included in the request is
 *      invalid."; a Lightsail call to a region with no Lightsail endpoint (us-west-1, say) has its
 *      connection dropped, as close as a loopback server gets to the DNS failure AWS gives;
 *   5. the service handler, or `UnknownOperationException` / `InvalidAction` (400) naming the
 *      operation the fake does not implement.
 *
 * Several accounts: `members` are served beside `account`, and `organization` makes them an AWS
 * Organization (services/organizations.ts). The access key id of the request's credential scope
 * picks the account: a session STS AssumeRole handed out acts in its target account; any other
 * key acts in `account` (the management account when there is an organization).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LIGHTSAIL_REGIONS } from "../../shared/aws/regions";
import type { FakeAccount, FakeOrganization } from "./account";
import { type Call, type FaultRule, Faults } from "./faults";
import { AwsError, parseQuery, queryError, queryResponse } from "./protocol";
import { iam } from "./services/iam";
import { lightsail } from "./services/lightsail";
import { organizations } from "./services/organizations";
import { sns } from "./services/sns";
import { ssm } from "./services/ssm";
import { sts } from "./services/sts";
import type {
  CallContext,
  FakeSettings,
  FakeState,
  FakeWorld,
  PublishedMessage,
  Service,
} from "./state";

const SERVICES: Record<string, Service> = { lightsail, ssm, iam, sts, sns, organizations };

export interface FakeAwsOptions {
  /** The account to serve. It is copied: mutate `FakeAws.account` to change the live state. */
  account: FakeAccount;
  /** Lightsail page size (default 25). */
  pageSize?: number;
  /** Delay added to every call (default 0). */
  latencyMs?: number;
  /** Port to listen on, on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** Seed of the fault PRNG (default 1). */
  seed?: number;
  /** GetCredentialReport polls answered ReportInProgress after generation starts (default 0). */
  credentialReportPolls?: number;
  /** Final outcome of SSM command invocations (default Success, exit 0, empty output). */
  commandResult?: FakeSettings["commandResult"];
  /** The fake's clock (report and operation timestamps); default the wall clock. */
  now?: () => Date;
  /** More accounts, reached through STS AssumeRole (each copied, like `account`). */
  members?: FakeAccount[];
  /** The organization `account` manages (copied). */
  organization?: FakeOrganization;
}

export interface FakeAws {
  /** `http://127.0.0.1:PORT`: use as AWS_ENDPOINT_URL or a client's `endpoint`. */
  url: string;
  /** Stops listening and destroys every socket, hanging requests included. */
  close(): Promise<void>;
  /** Every request received, in order (faulted ones too). */
  calls: Call[];
  resetCalls(): void;
  /** The live, mutable account state. */
  account: FakeAccount;
  /** SNS messages accepted by Publish, in order. */
  published: PublishedMessage[];
  faults: { addFault(rule: FaultRule): void; clearFaults(): void };
  /** Behaviour knobs, changeable at any time. */
  settings: FakeSettings;
  /** Every account served, `account` included, by id (live, mutable). */
  accounts: Map<string, FakeAccount>;
  /** The live organization, when there is one. */
  organization?: FakeOrganization;
}

/** Where the fake serves its copy of ip-ranges.json (`--ip-ranges <fake url>/ip-ranges.json`). */
export const IP_RANGES_PATH = "/ip-ranges.json";

const SCOPE = /Credential=([^/,]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const INVALID_TOKEN = "The security token included in the request is invalid.";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The instance or load balancer a Lightsail request names, for `calls` and fault rules. */
function resourceNamed(body: string): string | undefined {
  try {
    const request = JSON.parse(body || "{}") as {
      instanceName?: unknown;
      loadBalancerName?: unknown;
    };
    const name = request.instanceName ?? request.loadBalancerName;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Each protocol's paging members, request and response, for the page-token faults. */
const PAGE_TOKENS: Record<string, { input: string; output: string }> = {
  lightsail: { input: "pageToken", output: "nextPageToken" },
  ssm: { input: "NextToken", output: "NextToken" },
  iam: { input: "Marker", output: "Marker" },
};

/** The error a fault kind produces, in the protocol's own codes; undefined for non-error kinds. */
function faultError(
  rule: FaultRule,
  json: boolean,
  call: Call,
  callerArn: string,
): AwsError | undefined {
  const action = `${call.service}:${call.operation}`;
  switch (rule.kind) {
    case "throttle":
    case "throttle-429":
      return new AwsError(
        json ? "ThrottlingException" : "Throttling",
        "Rate exceeded",
        rule.kind === "throttle" ? 400 : 429,
      );
    case "http-500":
      return new AwsError(
        "InternalFailure",
        "We encountered an internal error. Please try again.",
        500,
      );
    case "http-503":
      return new AwsError(
        json ? "ServiceUnavailableException" : "ServiceUnavailable",
        "Service is unavailable. Please try again.",
        503,
      );
    case "access-denied":
      return new AwsError(
        json ? "AccessDeniedException" : "AccessDenied",
        `User: ${callerArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        json ? 400 : 403,
      );
    default:
      return undefined;
  }
}

/** One account's live state; settings and the published messages are shared by all accounts. */
function accountState(
  account: FakeAccount,
  settings: FakeSettings,
  published: PublishedMessage[],
  now: () => Date,
): FakeState {
  return {
    account,
    settings,
    published,
    // History from the account: every target already looked at once, so it reads as finished.
    commands: (account.ssmCommands ?? []).map((c) => ({
      region: c.region,
      CommandId: c.CommandId,
      DocumentName: c.DocumentName,
      Comment: c.Comment ?? "",
      Parameters: {},
      RequestedDateTime: c.RequestedDateTime,
      looks: new Map(Object.keys(c.results).map((id) => [id, 1])),
      results: new Map(Object.entries(c.results)),
    })),
    credentialReport: { pendingPolls: 0 },
    now,
  };
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const settings: FakeSettings = {
    pageSize: options.pageSize ?? 25,
    latencyMs: options.latencyMs ?? 0,
    credentialReportPolls: options.credentialReportPolls ?? 0,
    commandResult: options.commandResult ?? {
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: "",
      StandardErrorContent: "",
    },
  };
  const published: PublishedMessage[] = [];
  const now = options.now ?? (() => new Date());
  const primary = accountState(structuredClone(options.account), settings, published, now);
  const world: FakeWorld = {
    states: new Map([[primary.account.accountId, primary]]),
    sessions: new Map(),
    ...(options.organization ? { organization: structuredClone(options.organization) } : {}),
  };
  for (const member of options.members ?? []) {
    const memberState = accountState(structuredClone(member), settings, published, now);
    world.states.set(member.accountId, memberState);
  }
  const calls: Call[] = [];
  /** Answers given under a page-token fault: "new-page-token" numbers its tokens with it. */
  let pageFaults = 0;
  const faults = new Faults(options.seed ?? 1);
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /**
   * `GET /ip-ranges.json`: the account's copy of AWS's published ranges, recorded as the call
   * `ip-ranges:GetIpRanges` so fault rules (hang, latency, malformed, any error status) apply.
   */
  async function ipRanges(res: ServerResponse): Promise<void> {
    const call: Call = { service: "ip-ranges", operation: "GetIpRanges", region: "global" };
    calls.push(call);
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    const fault = faults.take(call);
    if (fault?.kind === "hang") return;
    if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 0);
    // The ranges are AWS's, not an account's: the primary account's copy is served.
    const file = primary.account.ipRanges;
    const [status, text] =
      fault?.kind === "malformed"
        ? [200, '{"syncToken": "1", "prefixes": [{"ip_pre']
        : fault
          ? [503, "Service Unavailable"]
          : file
            ? [200, JSON.stringify(file)]
            : [404, "Not Found"];
    res.writeHead(status, { "content-type": "application/json" });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url === IP_RANGES_PATH) return ipRanges(res);
    const body = await readBody(req);
    const scope = SCOPE.exec(req.headers.authorization ?? "");
    const session = world.sessions.get(scope?.[1] ?? "");
    const state = (session && world.states.get(session.accountId)) || primary;
    const caller = session ?? state.account.caller;
    const region = scope?.[2] ?? "";
    const serviceName = scope?.[3] ?? "";
    const service = Object.hasOwn(SERVICES, serviceName) ? SERVICES[serviceName] : undefined;
    const target = req.headers["x-amz-target"];
    const json = service ? service.protocol === "json" : typeof target === "string";
    const params = json ? {} : parseQuery(body);
    const [targetPrefix, targetOperation = ""] = (typeof target === "string" ? target : "").split(
      ".",
    );
    const operation = json ? targetOperation : (params.Action ?? "");
    const call: Call = { service: serviceName, operation, region };
    // Only a fake of several accounts says which one a call acted in.
    if (world.states.size > 1) call.account = state.account.accountId;
    const named = serviceName === "lightsail" ? resourceNamed(body) : undefined;
    if (named !== undefined) call.resource = named;
    calls.push(call);
    const requestId = randomUUID();

    const send = (
      status: number,
      contentType: string,
      text: string,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, {
        "content-type": contentType,
        "x-amzn-requestid": requestId,
        ...headers,
      });
      res.end(text);
    };
    const xmlns = service?.protocol === "query" ? service.xmlns : "";
    const fail = (error: AwsError) => {
      if (json) {
        const payload = { __type: error.code, message: error.message, ...error.extra };
        send(error.status, "application/x-amz-json-1.1", JSON.stringify(payload), {
          "x-amzn-errortype": error.code,
        });
      } else {
        send(error.status, "text/xml", queryError(error, xmlns, requestId));
      }
    };

    if (state.settings.latencyMs > 0) await sleep(state.settings.latencyMs);
    const fault = faults.take(call);
    if (fault?.kind === "hang") return;
    if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 0);
    if (fault?.kind === "malformed") {
      return json
        ? send(200, "application/x-amz-json-1.1", '{"truncated": [{"name": "')
        : send(
            200,
            "text/xml",
            `<${operation}Response xmlns="${xmlns}"><${operation}Result><Trunc`,
          );
    }
    if (fault?.kind === "empty-200") {
      return send(200, json ? "application/x-amz-json-1.1" : "text/xml", "");
    }
    const injected = fault && faultError(fault, json, call, caller.Arn);
    if (injected) return fail(injected);
    const tokens = PAGE_TOKENS[serviceName];
    /** Applies a page or list fault to an answer (the request's token was dropped: page 1). */
    const reshape = <T extends Record<string, unknown>>(out: T): T => {
      if (fault?.kind === "no-list") {
        return Object.fromEntries(Object.entries(out).filter(([, v]) => !Array.isArray(v))) as T;
      }
      if (!tokens || !pageFault) return out;
      pageFaults += 1;
      const token = `fault-token-${fault?.kind === "same-page-token" ? 0 : pageFaults}`;
      return { ...out, [tokens.output]: token, ...(json ? {} : { IsTruncated: true }) };
    };
    const pageFault = fault?.kind === "same-page-token" || fault?.kind === "new-page-token";
    const forgetToken = pageFault ? tokens?.input : undefined;

    if (!scope) {
      const code = json ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken";
      return fail(new AwsError(code, "Request is missing Authentication Token", 403));
    }
    if (serviceName !== "iam" && state.account.disabledRegions.includes(region)) {
      return fail(
        json
          ? new AwsError("UnrecognizedClientException", INVALID_TOKEN, 400)
          : new AwsError("InvalidClientTokenId", INVALID_TOKEN, 403),
      );
    }
    if (serviceName === "lightsail" && !(LIGHTSAIL_REGIONS as readonly string[]).includes(region)) {
      req.socket.destroy();
      return;
    }

    const ctx: CallContext = { state, region, world, caller };
    try {
      if (service?.protocol === "json") {
        const known =
          targetPrefix === service.target && Object.hasOwn(service.operations, operation);
        const handler = known ? service.operations[operation] : undefined;
        if (!handler) {
          throw new AwsError(
            "UnknownOperationException",
            `fake-aws does not implement ${serviceName} operation ${target ?? "(none)"}`,
          );
        }
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(body || "{}") as Record<string, unknown>;
        } catch {
          throw new AwsError("SerializationException", "The request body is not valid JSON.");
        }
        if (forgetToken) delete input[forgetToken];
        send(
          200,
          "application/x-amz-json-1.1",
          JSON.stringify(reshape((handler(input as never, ctx) ?? {}) as Record<string, unknown>)),
        );
      } else {
        const handler =
          service && Object.hasOwn(service.operations, operation)
            ? service.operations[operation]
            : undefined;
        if (!service || !handler) {
          throw new AwsError(
            json ? "UnknownOperationException" : "InvalidAction",
            `fake-aws does not implement ${serviceName || "(unsigned)"} operation ${operation || "(none)"}`,
          );
        }
        if (forgetToken) delete params[forgetToken];
        send(
          200,
          "text/xml",
          queryResponse(operation, service.xmlns, reshape(handler(params, ctx)), requestId),
        );
      }
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      fail(error);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake-aws internal error: ${error instanceof Error ? error.stack : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    calls,
    resetCalls: () => {
      calls.length = 0;
    },
    account: primary.account,
    published,
    faults: {
      addFault: (rule) => faults.addFault(rule),
      clearFaults: () => faults.clearFaults(),
    },
    settings,
    accounts: new Map([...world.states].map(([id, s]) => [id, s.account])),
    ...(world.organization ? { organization: world.organization } : {}),
  };
}
