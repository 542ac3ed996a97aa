/**
 * Fingerprints are stored in the state table and in suppressions users write: a new way of
 * hashing must give the same values as before. The expected digests come from `sha256sum`.
 */
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../../shared/findings/fingerprint";

describe("fingerprint", () => {
  it("is the first 20 hex digits of SHA-256 over checkId|type|region|arn", () => {
    // printf '%s' 'iam-root-mfa-enabled|AwsRootUser|global|arn:aws:iam::123456789012:root' | sha256sum
    expect(
      fingerprint("iam-root-mfa-enabled", {
        type: "AwsRootUser",
        name: "<root_account>",
        arn: "arn:aws:iam::123456789012:root",
        region: "global",
      }),
    ).toBe("a4c2073a1dd36f969f3c");
  });

  it("uses the name when there is no ARN, hashed as UTF-8", () => {
    // printf '%s' 'lightsail-instance-ssh-not-public|LightsailInstance|eu-west-2|wp-é' | sha256sum
    expect(
      fingerprint("lightsail-instance-ssh-not-public", {
        type: "LightsailInstance",
        name: "wp-é",
        arn: "",
        region: "eu-west-2",
      }),
    ).toBe("46a5fa44a3d406daa91c");
  });
});
