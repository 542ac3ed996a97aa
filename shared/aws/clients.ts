/**
 * SDK clients, created once per process (module scope in the Lambda) and passed down.
 * The SDK's standard environment is honoured as is: credentials chain, AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { LightsailClient } from "@aws-sdk/client-lightsail";
import { STSClient } from "@aws-sdk/client-sts";

export interface AwsClients {
  sts: STSClient;
  iam: IAMClient;
  /** One Lightsail client per region (every Lightsail call is regional); cached. */
  lightsail(region: string): LightsailClient;
}

export interface ClientOptions {
  /** Per-attempt socket timeout, so a hanging connection cannot stall the audit. */
  requestTimeoutMs?: number;
}

/** IAM is global: its endpoint is signed for us-east-1 in the `aws` partition. */
const IAM_REGION = "us-east-1";

export function createAwsClients(options: ClientOptions = {}): AwsClients {
  const requestHandler = {
    requestTimeout: options.requestTimeoutMs ?? 15_000,
    connectionTimeout: 5_000,
  };
  const home = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? IAM_REGION;
  const lightsail = new Map<string, LightsailClient>();
  return {
    sts: new STSClient({ region: home, requestHandler }),
    iam: new IAMClient({ region: IAM_REGION, requestHandler }),
    lightsail(region) {
      let client = lightsail.get(region);
      if (!client) {
        client = new LightsailClient({ region, requestHandler });
        lightsail.set(region, client);
      }
      return client;
    },
  };
}
