/**
 * SDK clients, created once per process (module scope in the Lambda) and passed down.
 * The SDK's standard environment is honoured as is: credentials chain, AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS. Retries are the SDK's
 * standard strategy (3 attempts, exponential backoff with jitter, throttling and 5xx and
 * timeouts retried); this module only bounds each attempt and lets the audit's deadline abort
 * calls in flight.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { IAMClient } from "@aws-sdk/client-iam";
import { LightsailClient } from "@aws-sdk/client-lightsail";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ConfigError } from "../errors";
import { isRegionName } from "./regions";

export interface AwsClients {
  sts: STSClient;
  iam: IAMClient;
  /** One Lightsail client per region (every Lightsail call is regional); cached. */
  lightsail(region: string): LightsailClient;
  /** One SSM client per region (nodes and commands are regional); cached. */
  ssm(region: string): SSMClient;
}

/** Static credentials (what STS AssumeRole returns), in the SDK's credential identity shape. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface ClientOptions {
  /** Per-attempt socket timeout, so a hanging connection cannot stall the audit. */
  requestTimeoutMs?: number;
  /** Credentials other than the default chain's: an assumed member role (organization mode). */
  credentials?: StaticCredentials;
  /** A handler to share (one connection pool for every member account's clients). */
  requestHandler?: NodeHttpHandler;
}

/** IAM is global: its endpoint is signed for us-east-1 in the `aws` partition. */
const IAM_REGION = "us-east-1";

const callSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` so that every AWS call it makes, however deep, is aborted when `signal` fires:
 * the audit's deadline reaches calls in flight without threading a signal through every adapter.
 */
export function withAbortSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, work);
}

class DeadlineAwareHandler extends NodeHttpHandler {
  override handle(...[request, options]: Parameters<NodeHttpHandler["handle"]>) {
    const abortSignal = options?.abortSignal ?? callSignal.getStore();
    return super.handle(request, abortSignal ? { ...options, abortSignal } : options);
  }
}

/** The HTTP handler every client of this project uses. */
export function createRequestHandler(options: ClientOptions = {}): NodeHttpHandler {
  return new DeadlineAwareHandler({
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    // Without this the SDK only logs a warning and a hung connection waits forever.
    throwOnRequestTimeout: true,
    connectionTimeout: 3_000,
  });
}

/**
 * The endpoint variables the SDK reads (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) must be
 * http(s) URLs: the SDK would otherwise fail on its first call with "TypeError: Invalid URL",
 * naming no variable.
 */
export function checkEndpointEnv(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (!/^AWS_ENDPOINT_URL(_\w+)?$/.test(name) || value === undefined || value === "") continue;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url?.protocol !== "http:" && url?.protocol !== "https:") {
      throw new ConfigError(
        `${name} is not a valid endpoint URL (${JSON.stringify(value)}): give a full http:// or https:// URL, or unset it`,
      );
    }
  }
}

/**
 * The region the SDK is configured for (AWS_REGION, AWS_DEFAULT_REGION), else us-east-1. Throws
 * a ConfigError naming the variable when the value is not a region name (see isRegionName):
 * `AWS_REGION=mars` would otherwise be named in the patching plan as where to run.
 */
export function homeRegion(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.AWS_REGION !== undefined ? "AWS_REGION" : "AWS_DEFAULT_REGION";
  const region = env[name];
  if (region === undefined) return IAM_REGION;
  if (isRegionName(region)) return region;
  throw new ConfigError(
    `Invalid ${name}: "${region}" is not an AWS region name (e.g. us-east-1, eu-west-2, cn-north-1, us-gov-west-1)`,
  );
}

/** A per-region client cache. */
function perRegion<T>(create: (region: string) => T): (region: string) => T {
  const cache = new Map<string, T>();
  return (region) => {
    let client = cache.get(region);
    if (!client) {
      client = create(region);
      cache.set(region, client);
    }
    return client;
  };
}

export function createAwsClients(options: ClientOptions = {}): AwsClients {
  const requestHandler = options.requestHandler ?? createRequestHandler(options);
  const common = {
    requestHandler,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  return {
    sts: new STSClient({ region: homeRegion(), ...common }),
    iam: new IAMClient({ region: IAM_REGION, ...common }),
    lightsail: perRegion((region) => new LightsailClient({ region, ...common })),
    ssm: perRegion((region) => new SSMClient({ region, ...common })),
  };
}
