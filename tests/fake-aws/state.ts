/**
 * The fake's live state (the account plus what the calls have done to it) and the shape of a
 * service handler. Handlers get the parsed request and this context, and either return the
 * operation's output or throw an {@link AwsError}.
 */
import type { FakeAccount, FakeOrganization } from "./account";
import type { QueryParams, XmlObject } from "./protocol";

/**
 * What GetCommandInvocation reports after the first look. `InProgress` never finishes (a run that
 * outlasts the caller's patience); the others are final.
 */
export interface CommandResult {
  Status: "Success" | "Failed" | "TimedOut" | "Cancelled" | "InProgress";
  ResponseCode: number;
  StandardOutputContent: string;
  StandardErrorContent: string;
}

/** Behaviour knobs; change them on `FakeAws.settings` at any time. */
export interface FakeSettings {
  /** Page size of the paged Lightsail reads (GetInstances, GetLoadBalancers, ...). */
  pageSize: number;
  /** Delay added to every call. */
  latencyMs: number;
  /** GetCredentialReport polls answered `ReportInProgress` after each report generation starts. */
  credentialReportPolls: number;
  /** Final outcome of every command invocation, or a function of the invocation. */
  commandResult:
    | CommandResult
    | ((invocation: {
        commandId: string;
        instanceId: string;
        documentName: string;
      }) => CommandResult);
}

/** An SNS message as the fake received it. */
export interface PublishedMessage {
  region: string;
  MessageId: string;
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Subject?: string;
  Message: string;
  MessageStructure?: string;
  MessageAttributes: Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: string }
  >;
}

/** A command sent with SSM SendCommand, and how often each invocation has been looked at. */
export interface SentCommand {
  region: string;
  CommandId: string;
  DocumentName: string;
  Comment: string;
  Parameters: Record<string, string[]>;
  RequestedDateTime: number;
  /** Resolved target instance ids, each with the number of times a caller looked at it. */
  looks: Map<string, number>;
  /** Per-target results of a command from the account's history (else `settings.commandResult`). */
  results?: Map<string, CommandResult>;
}

export interface FakeState {
  account: FakeAccount;
  settings: FakeSettings;
  published: PublishedMessage[];
  commands: SentCommand[];
  /** Credential report generation: unset until the first GenerateCredentialReport. */
  credentialReport: { generatedAt?: Date; pendingPolls: number };
  now: () => Date;
}

/** A session STS AssumeRole handed out: its access key id selects the account it acts in. */
export interface FakeSession {
  accountId: string;
  Arn: string;
  UserId: string;
}

/**
 * Everything one fake serves: each account's state (keyed by account id; the first is the one
 * unknown credentials act in), the organization, and the sessions AssumeRole handed out.
 */
export interface FakeWorld {
  states: Map<string, FakeState>;
  organization?: FakeOrganization;
  sessions: Map<string, FakeSession>;
}

export interface CallContext {
  /** The state of the account the request's credentials act in. */
  state: FakeState;
  region: string;
  world: FakeWorld;
  /** Who is calling: the account's configured caller, or the assumed-role session. */
  caller: { Arn: string; UserId: string };
}

/**
 * awsJson1_1 service: `X-Amz-Target: <target>.<Operation>`, JSON in and out. Each handler
 * declares its SDK request type (the JSON body has that shape); `never` lets any of them in.
 */
export interface JsonService {
  protocol: "json";
  target: string;
  operations: Record<string, (input: never, ctx: CallContext) => unknown>;
}

/** awsQuery service: form body `Action=<Operation>&Version=…`, XML out. */
export interface QueryService {
  protocol: "query";
  xmlns: string;
  operations: Record<string, (params: QueryParams, ctx: CallContext) => XmlObject>;
}

export type Service = JsonService | QueryService;
