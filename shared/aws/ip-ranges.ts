/**
 * AWS's published address ranges (https://ip-ranges.amazonaws.com/ip-ranges.json; the shape is
 * in the VPC User Guide, "Syntax for AWS IP address range JSON"): `syncToken`, `createDate`,
 * `prefixes[{ip_prefix, region, service, network_border_group}]` and `ipv6_prefixes[{ipv6_prefix,
 * ...}]`. Only the `EC2` subset is kept: instance and static IP addresses come from it, so an
 * address there that the account no longer holds is one AWS may give to someone else.
 * A plain HTTPS GET, not an SDK call: the file is public and unsigned.
 */
import { z } from "zod";
import type { AwsIpRanges } from "../model";

export const AWS_IP_RANGES_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json";
/** The file is about 2 MB; a stalled download must not hold the audit. */
export const IP_RANGES_TIMEOUT_MS = 15_000;

const file = z.object({
  syncToken: z.string(),
  prefixes: z.array(z.object({ ip_prefix: z.string(), service: z.string() })),
  ipv6_prefixes: z.array(z.object({ ipv6_prefix: z.string(), service: z.string() })),
});

export class IpRangesError extends Error {
  constructor(
    override readonly name: "IpRangesUnavailable" | "IpRangesMalformed",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Reads the file at `url` and keeps the EC2 prefixes; throws IpRangesError saying what failed. */
export async function getAwsIpRanges(
  url: string,
  timeoutMs = IP_RANGES_TIMEOUT_MS,
): Promise<AwsIpRanges> {
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      throw new IpRangesError("IpRangesUnavailable", `${url} answered HTTP ${response.status}`);
    }
    body = await response.json().catch((cause: unknown) => {
      throw new IpRangesError("IpRangesMalformed", `${url} did not answer JSON`, { cause });
    });
  } catch (err) {
    if (err instanceof IpRangesError) throw err;
    const reason = err instanceof Error && err.name === "TimeoutError" ? "timed out" : "failed";
    throw new IpRangesError("IpRangesUnavailable", `reading ${url} ${reason}`, { cause: err });
  }
  const parsed = file.safeParse(body);
  if (!parsed.success) {
    throw new IpRangesError(
      "IpRangesMalformed",
      `${url} is not in the ip-ranges.json shape (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`,
    );
  }
  const { syncToken, prefixes, ipv6_prefixes } = parsed.data;
  return {
    syncToken,
    ipv4: prefixes.filter((p) => p.service === "EC2").map((p) => p.ip_prefix),
    ipv6: ipv6_prefixes.filter((p) => p.service === "EC2").map((p) => p.ipv6_prefix),
  };
}
