/**
 * Fault injection: ordered rules matched against each call. The first rule that matches the call
 * (service, operation, region and named resource, each optional) and wins its `probability` draw applies; a rule
 * with `times` applies that many times, then stops matching. Draws come from a seeded PRNG, so a
 * run with the same seed and the same calls injects the same faults.
 */

import { seededRandom } from "./random";

export type FaultKind =
  /** ThrottlingException (json) / Throttling (query), HTTP 400. */
  | "throttle"
  /** The same error codes with HTTP 429. */
  | "throttle-429"
  /** InternalFailure, HTTP 500. */
  | "http-500"
  /** ServiceUnavailableException (json) / ServiceUnavailable (query), HTTP 503. */
  | "http-503"
  /** AccessDeniedException (json, HTTP 400) / AccessDenied (query, HTTP 403). */
  | "access-denied"
  /** HTTP 200 with a truncated body the SDK cannot parse. */
  | "malformed"
  /** Never answers; only a client-side timeout (or `close()`) ends the request. */
  | "hang"
  /** Answers normally after `latencyMs`. */
  | "latency"
  /**
   * Pagination that never ends: the first page, with the same next-page token every time
   * (Lightsail `nextPageToken`, SSM `NextToken`, IAM `Marker` + `IsTruncated`).
   */
  | "same-page-token"
  /** Pagination that never ends: the first page, with a new next-page token every time. */
  | "new-page-token"
  /** HTTP 200 with no body at all. */
  | "empty-200"
  /** HTTP 200, the normal answer without its list members (every array-valued top-level key). */
  | "no-list";

export interface FaultRule {
  service?: string;
  operation?: string;
  region?: string;
  /** The resource a Lightsail call names (`instanceName` or `loadBalancerName`). */
  resource?: string;
  /** The account the call acts in (see server.ts: picked by its credentials). */
  account?: string;
  kind: FaultKind;
  /** For kind "latency". */
  latencyMs?: number;
  /** How many calls this rule affects; forever when unset. */
  times?: number;
  /** Chance (0..1) that a matching call is affected; 1 when unset. */
  probability?: number;
}

export interface Call {
  service: string;
  operation: string;
  region: string;
  /** Set on Lightsail calls that name one resource (`instanceName` or `loadBalancerName`). */
  resource?: string;
  /** The account the call acts in (set when the fake serves several). */
  account?: string;
}

export class Faults {
  private rules: { rule: FaultRule; remaining: number }[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  addFault(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.rules = [];
  }

  /** The rule that applies to this call, if any (and counts it against `times`). */
  take(call: Call): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      const matches =
        entry.remaining > 0 &&
        (rule.service === undefined || rule.service === call.service) &&
        (rule.operation === undefined || rule.operation === call.operation) &&
        (rule.region === undefined || rule.region === call.region) &&
        (rule.resource === undefined || rule.resource === call.resource) &&
        (rule.account === undefined || rule.account === call.account);
      if (!matches) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      entry.remaining -= 1;
      return rule;
    }
    return undefined;
  }
}
