import { hash } from "node:crypto";
import type { ResourceRef } from "../model";

/**
 * Stable identity of a finding: the check and the resource, never a time or a message, so the same
 * problem on the same resource keeps its fingerprint from one run to the next.
 *
 * @example fingerprint("iam-root-mfa-enabled", { type: "AwsRootUser", name: "<root_account>", arn: "arn:aws:iam::1:root", region: "global" })
 */
export function fingerprint(checkId: string, resource: ResourceRef): string {
  const identity = [checkId, resource.type, resource.region, resource.arn || resource.name].join(
    "|",
  );
  // One-shot hash (Node >= 20.12): no Hash object per finding; the same digest as createHash.
  return hash("sha256", identity, "hex").slice(0, 20);
}
