import { describe, expect, it } from "vitest";
import { homeRegion } from "../../../shared/aws/clients";
import { ConfigError } from "../../../shared/errors";

describe("homeRegion", () => {
  it.each([
    "us-east-1",
    "eu-west-2",
    "ap-southeast-5",
    "il-central-1",
    "mx-central-1",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "eusc-de-east-1",
  ])("accepts %s, a name of the pattern of its partition", (region) => {
    expect(homeRegion({ AWS_REGION: region })).toBe(region);
  });

  it("reads AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1", () => {
    expect(homeRegion({ AWS_REGION: "eu-west-2", AWS_DEFAULT_REGION: "us-west-2" })).toBe(
      "eu-west-2",
    );
    expect(homeRegion({ AWS_DEFAULT_REGION: "us-west-2" })).toBe("us-west-2");
    expect(homeRegion({})).toBe("us-east-1");
  });

  it.each(["mars", "US-EAST-1", "us-east", "us-east-1 ", "moon-base-1", "aws-global", ""])(
    "refuses AWS_REGION=%j, naming the variable and the value",
    (region) => {
      expect(() => homeRegion({ AWS_REGION: region })).toThrow(
        new ConfigError(
          `Invalid AWS_REGION: "${region}" is not an AWS region name (e.g. us-east-1, eu-west-2, cn-north-1, us-gov-west-1)`,
        ),
      );
    },
  );

  it("names AWS_DEFAULT_REGION when that is the bad one", () => {
    expect(() => homeRegion({ AWS_DEFAULT_REGION: "mars" })).toThrow(
      'Invalid AWS_DEFAULT_REGION: "mars" is not an AWS region name',
    );
  });
});
