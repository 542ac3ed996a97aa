/** getCallerIdentity over a mocked STSClient: account id, ARN, and the partition from the ARN. */
import "aws-sdk-client-mock-vitest/extend";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { getCallerIdentity } from "../../../shared/aws/sts";

const sts = mockClient(STSClient);
const client = new STSClient({ region: "us-east-1" });

beforeEach(() => {
  sts.reset();
});

describe("getCallerIdentity", () => {
  it.each([
    ["aws", "arn:aws:sts::123456789012:assumed-role/lightsail-auditor/audit-fn"],
    ["aws-cn", "arn:aws-cn:iam::123456789012:user/auditor"],
    ["aws-us-gov", "arn:aws-us-gov:sts::123456789012:assumed-role/auditor/session"],
  ])("reads partition %s from the caller ARN", async (partition, arn) => {
    // Prepare
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "123456789012", Arn: arn, UserId: "AROAEXAMPLE:s" });

    // Act
    const identity = await getCallerIdentity(client);

    // Assess
    expect(identity).toEqual({ accountId: "123456789012", arn, partition });
    expect(sts).toHaveReceivedCommandOnce(GetCallerIdentityCommand);
  });

  it("defaults the partition to aws when the response has no ARN", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });

    await expect(getCallerIdentity(client)).resolves.toEqual({
      accountId: "123456789012",
      arn: "",
      partition: "aws",
    });
  });

  it("lets an error propagate unchanged, name kept", async () => {
    const err = Object.assign(new Error("The security token included in the request is invalid."), {
      name: "InvalidClientTokenId",
    });
    sts.on(GetCallerIdentityCommand).rejects(err);

    await expect(getCallerIdentity(client)).rejects.toBe(err);
  });
});
