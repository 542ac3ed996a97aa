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

/** No usable AWS credentials, or the account cannot be identified. */
export class CredentialsError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CredentialsError";
  }
}

/** The audit could not produce a report at all. */
export class AuditFailedError extends AuditorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuditFailedError";
  }
}

/** The name and message of any thrown value, without stack or request payloads. */
export function describeError(err: unknown): { errorName: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { Code?: unknown }).Code;
    const errorName =
      err.name && err.name !== "Error" ? err.name : typeof code === "string" ? code : "Error";
    return { errorName, message: err.message || errorName };
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
