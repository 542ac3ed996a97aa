import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors";
import { fingerprint } from "../../../shared/findings/fingerprint";
import {
  applySuppressions,
  matches,
  parseSuppressions,
} from "../../../shared/findings/suppressions";
import type { CheckResult, ResourceRef, Suppression } from "../../../shared/model";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const SSH = "lightsail-instance-ssh-not-public";
const ROOT_MFA = "iam-root-mfa-enabled";
const SOURCE = "shared/suppressions.json";
/** Fixed clock: midday on 2026-08-01 UTC. */
const NOW = new Date("2026-08-01T12:00:00.000Z");

function suppression(overrides: Partial<Suppression> = {}): Suppression {
  return {
    checkId: SSH,
    resource: "blog",
    reason: "Office VPN is down until the move; SSH needed from home",
    expires: "2026-12-31",
    ...overrides,
  };
}

function ref(name: string, region = "eu-west-2"): ResourceRef {
  return {
    type: "LightsailInstance",
    name,
    arn: `arn:aws:lightsail:${region}:${ACCOUNT_ID}:Instance/6f1c7d2e-${name}`,
    region,
  };
}

function result(name: string, overrides: Partial<CheckResult> = {}): CheckResult {
  const checkId = overrides.checkId ?? SSH;
  const resource = overrides.resource ?? ref(name);
  const status = overrides.status ?? "FAIL";
  return {
    checkId,
    status,
    severity: "high",
    message: `Port 22 of ${name} is open to 0.0.0.0/0.`,
    resource,
    accountId: ACCOUNT_ID,
    ...(status === "FAIL" ? { fingerprint: fingerprint(checkId, resource) } : {}),
    ...overrides,
  };
}

/** Parses `[valid entry, entry]` and returns what was thrown (the error names entry #2). */
function errorForSecondEntry(entry: unknown, rejectExpired = false): unknown {
  try {
    parseSuppressions([suppression(), entry], { source: SOURCE, now: NOW, rejectExpired });
  } catch (err) {
    return err;
  }
  throw new Error("parseSuppressions accepted an invalid entry");
}

describe("parseSuppressions", () => {
  it("returns valid entries as they are", () => {
    const entries = [suppression(), suppression({ checkId: ROOT_MFA, resource: "*" })];

    const parsed = parseSuppressions(structuredClone(entries), { source: SOURCE, now: NOW });

    expect(parsed).toEqual(entries);
  });

  it("rejects a list that is not an array, naming the source", () => {
    expect(() => parseSuppressions({ checkId: SSH }, { source: SOURCE, now: NOW })).toThrow(
      new ConfigError(`${SOURCE}: suppressions must be a JSON array`),
    );
  });

  const { reason: _reason, ...withoutReason } = suppression();
  it.each([
    ["a missing reason", withoutReason, "suppression #2 reason: needs a reason"],
    ["a blank reason", suppression({ reason: "   " }), "suppression #2 reason: needs a reason"],
    ["an unknown check id", suppression({ checkId: "ssh-closed" }), "suppression #2 checkId"],
    ["a month 13", suppression({ expires: "2026-13-01" }), "suppression #2 expires"],
    ["a day-first date", suppression({ expires: "31/12/2026" }), "suppression #2 expires"],
    ["30 February", suppression({ expires: "2026-02-30" }), "suppression #2 expires"],
    ["a date-time", suppression({ expires: "2026-12-31T00:00:00Z" }), "suppression #2 expires"],
    ["a blank resource", suppression({ resource: " " }), "suppression #2 resource"],
  ])("rejects %s with a ConfigError naming the entry and the field", (_case, entry, expected) => {
    const err = errorForSecondEntry(entry);

    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`${SOURCE}: ${expected}`);
  });

  it("lists the valid check ids when the check id is unknown", () => {
    const err = errorForSecondEntry(suppression({ checkId: "ssh-closed" }));

    expect((err as Error).message).toContain(SSH);
    expect((err as Error).message).toContain(ROOT_MFA);
  });

  it("rejects an extra key, naming the entry and the key", () => {
    const err = errorForSecondEntry({ ...suppression(), note: "temporary" });

    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/suppression #2\b.*"note"/);
  });

  it("keeps an expired entry at run time (it is reported as expired later)", () => {
    const parsed = parseSuppressions([suppression({ expires: "2026-07-31" })], {
      source: SOURCE,
      now: NOW,
    });

    expect(parsed.map((s) => s.expires)).toEqual(["2026-07-31"]);
  });

  it("with rejectExpired, rejects a date before today, naming the entry and the date", () => {
    const err = errorForSecondEntry(suppression({ expires: "2026-07-31" }), true);

    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain("suppression #2");
    expect((err as Error).message).toContain("expired on 2026-07-31");
  });

  it("with rejectExpired, accepts an entry whose last day is today", () => {
    const parsed = parseSuppressions([suppression({ expires: "2026-08-01" })], {
      source: SOURCE,
      now: NOW,
      rejectExpired: true,
    });

    expect(parsed).toHaveLength(1);
  });
});

describe("matches", () => {
  const blog = result("blog-1", { resource: ref("blog-1", "eu-west-2") });

  it.each([
    ["the resource name", "blog-1"],
    ["region/name", "eu-west-2/blog-1"],
    ["the ARN", blog.resource.arn],
    ["* alone", "*"],
    ["a name prefix with *", "blog-*"],
    ["a region with *", "eu-west-2/*"],
    ["an ARN with *", `arn:aws:lightsail:*:${ACCOUNT_ID}:Instance/*`],
  ])("matches on %s", (_case, pattern) => {
    expect(matches(suppression({ resource: pattern }), blog)).toBe(true);
  });

  it.each([
    ["only part of the name, without *", "blog"],
    ["another region", "us-east-1/blog-1"],
    ["another name", "shop-1"],
    ["regex dot taken literally", "blog.1"],
    ["regex class taken literally", "blog-[0-9]"],
    ["regex alternation taken literally", "shop|blog-1"],
    ["regex ? taken literally", "blog-1?"],
    ["regex + taken literally", "blog-+1"],
  ])("does not match %s", (_case, pattern) => {
    expect(matches(suppression({ resource: pattern }), blog)).toBe(false);
  });

  it("matches regex characters in the pattern literally when the name contains them", () => {
    const odd = result("a.b+(c)", { resource: ref("a.b+(c)") });

    expect(matches(suppression({ resource: "a.b+(c)" }), odd)).toBe(true);
    expect(matches(suppression({ resource: "a.b+(c)" }), result("aXbbc"))).toBe(false);
  });

  it("does not match another check's result on the same resource", () => {
    expect(matches(suppression({ checkId: ROOT_MFA, resource: "*" }), blog)).toBe(false);
  });
});

describe("applySuppressions", () => {
  it("mutes a matching FAIL, keeping its fingerprint and recording the suppression", () => {
    const s = suppression({ resource: "blog", expires: "2026-12-31" });
    const fail = result("blog");

    const { results, expired } = applySuppressions([fail], [s], NOW);

    expect(results).toEqual([
      {
        ...fail,
        status: "MUTED",
        suppressedBy: { reason: s.reason, expires: "2026-12-31" },
      },
    ]);
    expect(results[0]?.fingerprint).toBe(fail.fingerprint);
    expect(expired).toEqual([]);
  });

  it("leaves PASS, another resource and another check's FAIL untouched", () => {
    const pass = result("blog", { status: "PASS" });
    const otherResource = result("shop");
    const otherCheck = result("blog", { checkId: ROOT_MFA, severity: "critical" });

    const { results } = applySuppressions(
      [pass, otherResource, otherCheck],
      [suppression({ resource: "blog" })],
      NOW,
    );

    expect(results).toEqual([pass, otherResource, otherCheck]);
  });

  it("still applies during the whole last day (expires is inclusive)", () => {
    const lastMoment = new Date("2026-08-01T23:59:59.999Z");

    const { results, expired } = applySuppressions(
      [result("blog")],
      [suppression({ expires: "2026-08-01" })],
      lastMoment,
    );

    expect(results[0]?.status).toBe("MUTED");
    expect(expired).toEqual([]);
  });

  it("stops applying on the day after expires and returns it as expired", () => {
    const s = suppression({ expires: "2026-08-01" });
    const dayAfter = new Date("2026-08-02T00:00:00.000Z");

    const { results, expired } = applySuppressions([result("blog")], [s], dayAfter);

    expect(results[0]?.status).toBe("FAIL");
    expect(results[0]).not.toHaveProperty("suppressedBy");
    expect(expired).toEqual([s]);
  });

  it("lets an active suppression mute while an expired one for another resource is returned", () => {
    const active = suppression({ resource: "blog", expires: "2026-09-01" });
    const old = suppression({ resource: "shop", expires: "2026-07-15" });

    const { results, expired } = applySuppressions(
      [result("blog"), result("shop")],
      [active, old],
      NOW,
    );

    expect(results.map((r) => [r.resource.name, r.status])).toEqual([
      ["blog", "MUTED"],
      ["shop", "FAIL"],
    ]);
    expect(expired).toEqual([old]);
  });
});
