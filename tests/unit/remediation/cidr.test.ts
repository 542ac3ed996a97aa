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
    expect(parseAllowedCidrs("11.0.0.0/8,2001:db8::/32")).toMatchObject({ cidrs: [{}, {}] });
  });

  // Addresses a connection to the instance's public address never comes from (IANA special-purpose
  // registries, RFC 6890): allowing only them would close SSH to its owner.
  it.each([
    ["127.0.0.1", "127.0.0.0/8", "loopback"],
    ["::1", "::1/128", "loopback"],
    ["169.254.169.254/32", "169.254.0.0/16", "link-local"],
    ["fe80::/64", "fe80::/10", "link-local"],
    ["10.0.0.0/8", "10.0.0.0/8", "private (RFC 1918)"],
    ["10.1.2.3", "10.0.0.0/8", "private (RFC 1918)"],
    ["172.16.0.0/12", "172.16.0.0/12", "private (RFC 1918)"],
    ["172.31.255.0/24", "172.16.0.0/12", "private (RFC 1918)"],
    ["192.168.1.10", "192.168.0.0/16", "private (RFC 1918)"],
    ["fd12:3456:789a::/48", "fc00::/7", "unique local (ULA, RFC 4193)"],
    ["fc00::1", "fc00::/7", "unique local (ULA, RFC 4193)"],
    ["100.64.0.1", "100.64.0.0/10", "shared address space (carrier-grade NAT, RFC 6598)"],
    ["0.0.0.0/8", "0.0.0.0/8", '"this network" (RFC 1122)'],
    ["::/128", "::/128", "the unspecified address"],
    ["224.0.0.1", "224.0.0.0/4", "multicast"],
    ["ff02::1", "ff00::/8", "multicast"],
  ])("refuses %s: it is in %s (%s), naming the reason", (value, range, kind) => {
    expect(parseAllowedCidrs(`203.0.113.7,${value}`)).toEqual({
      error: `"${value}" is in ${range}, ${kind}: the instance's public address never sees connections from it, so SSH would be closed to you. List your public address (curl https://checkip.amazonaws.com)`,
    });
  });

  it("keeps public neighbours of those ranges", () => {
    const r = parseAllowedCidrs("172.32.0.1,192.169.0.1,11.0.0.1,100.128.0.1,2001:db8::1,fe00::1");
    expect("cidrs" in r && r.cidrs.length).toBe(6);
  });
});
