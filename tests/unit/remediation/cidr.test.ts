import { describe, expect, it } from "vitest";
import { parseAllowedCidrs, parseCidr } from "../../../shared/remediation/cidr";

describe("parseCidr", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7/32"],
    ["203.0.113.0/24", "203.0.113.0/24"],
    ["2001:DB8:0:0::/48", "2001:db8::/48"],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329/128"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"],
  ])("reads %s as %s", (input, text) => {
    expect(parseCidr(input)).toMatchObject({ text });
  });

  it.each(["1.2.3", "256.1.1.1", "01.2.3.4", "1::2::3", "2001:db8::/129", "10.0.0.0/33", "x"])(
    "rejects %s, naming it",
    (input) => {
      expect(parseCidr(input)).toEqual({
        error: `"${input}" is not an IPv4 or IPv6 CIDR block (e.g. 203.0.113.7/32)`,
      });
    },
  );

  it("rejects host bits and says which network was meant", () => {
    expect(parseCidr("203.0.113.7/24")).toEqual({
      error: '"203.0.113.7/24" has host bits set: write 203.0.113.0/24',
    });
    expect(parseCidr("fe80::1/64")).toEqual({
      error: '"fe80::1/64" has host bits set: write fe80::/64',
    });
  });
});

describe("parseAllowedCidrs", () => {
  it("reads a comma list of both families, de-duplicated, in order", () => {
    const r = parseAllowedCidrs(" 203.0.113.7, 2001:db8::/48,203.0.113.7/32,");
    expect("cidrs" in r && r.cidrs.map((c) => c.text)).toEqual(["203.0.113.7/32", "2001:db8::/48"]);
  });

  it.each([
    ["0.0.0.0/0", '"0.0.0.0/0" is not a restriction: it is the whole IPv4 internet'],
    ["::/0", '"::/0" is not a restriction: it is the whole IPv6 internet'],
    ["10.0.0.0/7", '"10.0.0.0/7" is not a restriction: it is wider than /8'],
    ["2001:db8::/31", '"2001:db8::/31" is not a restriction: it is wider than /32'],
  ])("refuses %s as not a restriction", (value, message) => {
    expect(parseAllowedCidrs(`203.0.113.7,${value}`)).toEqual({
      error: expect.stringContaining(message),
    });
  });

  it("accepts the widest restrictions, /8 and /32", () => {
    expect(parseAllowedCidrs("10.0.0.0/8,2001:db8::/32")).toMatchObject({ cidrs: [{}, {}] });
  });
});
