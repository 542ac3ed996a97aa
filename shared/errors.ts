/**
 * One base class, a few named subclasses. Every error the user may see has a message that names
 * the bad input or the missing piece; the original error travels as `cause`.
 */
export class AuditorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuditorError";
  }
}

/** A configuration value (env var or CLI flag) is invalid. The message names the key. */
export class ConfigError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** What to do when the SDK finds no credentials at all. */
export const NO_CREDENTIALS_HELP =
  "No AWS credentials found. Set AWS_PROFILE (after `aws configure` or `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";

/** No usable AWS credentials, or the account cannot be identified. */
export class CredentialsError extends AuditorError {
  /** True when the SDK found none (as opposed to AWS rejecting them). */
  readonly missing: boolean;
  constructor(message: string, options?: { cause?: unknown; missing?: boolean }) {
    super(message, options);
    this.name = "CredentialsError";
    this.missing = options?.missing ?? false;
  }
}

/** The audit could not produce a report at all. */
export class AuditFailedError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuditFailedError";
  }
}

/** AWS answered, but with a body the SDK could not parse or a shape the API model does not allow. */
export class MalformedResponseError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MalformedResponseError";
  }
}

/**
 * The SDK's parse failure ("Deserialization error: to see the raw response, inspect the hidden
 * field {error}.$response ...") as one line a person can act on.
 */
function deserializationError(err: Error): MalformedResponseError | undefined {
  // The SDK adds this hint (and a hidden $response) only to errors that are not AWS's own.
  if (!err.message.includes("Deserialization error: to see the raw response")) return undefined;
  const e = err as { $response?: { statusCode?: number }; $metadata?: { httpStatusCode?: number } };
  const status = e.$response?.statusCode ?? e.$metadata?.httpStatusCode;
  return new MalformedResponseError(
    `AWS sent a response that could not be read: ${status ? `HTTP ${status}, ` : ""}a body that does not parse`,
    { cause: err },
  );
}

/** The name and message of any thrown value, on one line, without stack or request payloads. */
export function describeError(err: unknown): { errorName: string; message: string } {
  if (err instanceof Error) {
    const e = deserializationError(err) ?? err;
    const code = (e as { Code?: unknown }).Code;
    const errorName =
      e.name && e.name !== "Error" ? e.name : typeof code === "string" ? code : "Error";
    // One line: a message spread over several would forge lines in the table and the email.
    return { errorName, message: e.message.replace(/\s*\n\s*/g, " ").trim() || errorName };
  }
  return { errorName: "Error", message: String(err) };
}

/** The alert owed for this run could not be delivered; the state was not advanced. */
export class AlertDeliveryError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AlertDeliveryError";
  }
}

/** A fix or an undo was refused or could not be completed. The message says what was left. */
export class RemediationError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RemediationError";
  }
}

/** A report object could not be written. The message names the bucket, the key and S3's error. */
export class ReportStoreError extends AuditorError {
  readonly bucket: string;
  readonly key: string;
  constructor(message: string, options: { bucket: string; key: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "ReportStoreError";
    this.bucket = options.bucket;
    this.key = options.key;
  }
}

/** Organization mode: the member role of one account could not be assumed. */
export class AssumeRoleError extends AuditorError {
  /** True when AWS refused (AccessDenied): the role is missing or does not trust us. */
  readonly denied: boolean;
  constructor(message: string, options: { cause?: unknown; denied: boolean }) {
    super(message, options);
    this.name = "AssumeRoleError";
    this.denied = options.denied;
  }
}
