/**
 * CIDR blocks for `allowedSshCidrs`: parsed strictly, written in one canonical form (so what the
 * fix sends is what Lightsail stores and a later comparison matches), and refused when they are
 * too wide to be a restriction. Pure.
 */

export interface Cidr {
  family: 4 | 6;
  prefix: number;
  /** `203.0.113.7/32`, `2001:db8::/48`: lower-case, IPv6 compressed (RFC 5952), prefix always written. */
  text: string;
}

/** Anything wider than these is "not a restriction": an IPv4 /8 is 16 million addresses. */
export const WIDEST_IPV4_PREFIX = 8;
export const WIDEST_IPV6_PREFIX = 32;

function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

/** The 8 groups of an IPv6 address (`::` expanded), or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === "" ? [] : s.split(":"));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/** RFC 5952: lower-case, no leading zeros, the longest run (2 or more) of zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let best = { at: -1, length: 1 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

/** The mask of one `bits`-wide unit of an address when `keep` of its leading bits are network. */
function unitMask(bits: number, keep: number): number {
  const k = Math.min(Math.max(keep, 0), bits);
  return k === 0 ? 0 : ((2 ** bits - 1) >>> (bits - k)) << (bits - k);
}

/**
 * Parses one CIDR block; a bare address is a single host (/32 or /128).
 *
 * @example
 * parseCidr("2001:DB8:0:0::/48") // { family: 6, prefix: 48, text: "2001:db8::/48" }
 * parseCidr("203.0.113.7/24")   // { error: '"203.0.113.7/24" has host bits set: write 203.0.113.0/24' }
 */
export function parseCidr(input: string): Cidr | { error: string } {
  const value = input.trim();
  const [address = "", prefixText, ...rest] = value.split("/");
  const bad = { error: `"${value}" is not an IPv4 or IPv6 CIDR block (e.g. 203.0.113.7/32)` };
  if (rest.length > 0 || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) return bad;
  const v4 = ipv4Bytes(address);
  const v6 = v4 ? undefined : ipv6Groups(address);
  if (!v4 && !v6) return bad;
  const family = v4 ? 4 : 6;
  const max = v4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return bad;
  const units = v4 ?? v6 ?? [];
  const bits = v4 ? 8 : 16;
  const network = units.map((unit, i) => unit & unitMask(bits, prefix - i * bits));
  if (network.some((unit, i) => unit !== units[i])) {
    const fixed = v4 ? network.join(".") : formatIpv6(network);
    return { error: `"${value}" has host bits set: write ${fixed}/${prefix}` };
  }
  const text = `${v4 ? v4.join(".") : formatIpv6(v6 ?? [])}/${prefix}`;
  return { family, prefix, text };
}

/**
 * Ranges a connection to an instance's public address never comes from, so allowing SSH only from
 * them closes it to the owner. From the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (RFC 6890) and the multicast registries. Documentation ranges (203.0.113.0/24, 2001:db8::/32)
 * are not listed: they are the examples everywhere, tests included.
 */
const UNREACHABLE: readonly { range: string; kind: string }[] = [
  { range: "0.0.0.0/8", kind: '"this network" (RFC 1122)' },
  { range: "10.0.0.0/8", kind: "private (RFC 1918)" },
  { range: "100.64.0.0/10", kind: "shared address space (carrier-grade NAT, RFC 6598)" },
  { range: "127.0.0.0/8", kind: "loopback" },
  { range: "169.254.0.0/16", kind: "link-local" },
  { range: "172.16.0.0/12", kind: "private (RFC 1918)" },
  { range: "192.168.0.0/16", kind: "private (RFC 1918)" },
  { range: "224.0.0.0/4", kind: "multicast" },
  { range: "::/128", kind: "the unspecified address" },
  { range: "::1/128", kind: "loopback" },
  { range: "fc00::/7", kind: "unique local (ULA, RFC 4193)" },
  { range: "fe80::/10", kind: "link-local" },
  { range: "ff00::/8", kind: "multicast" },
];

/** The address units (bytes or 16-bit groups) of a parsed block's network. */
const unitsOf = (cidr: Cidr) => {
  const address = cidr.text.split("/")[0] ?? "";
  return (cidr.family === 4 ? ipv4Bytes(address) : ipv6Groups(address)) ?? [];
};

/** True when `inner` lies inside `outer` (CIDR blocks nest or are disjoint). */
function within(inner: Cidr, outer: Cidr): boolean {
  if (inner.family !== outer.family || inner.prefix < outer.prefix) return false;
  const bits = inner.family === 4 ? 8 : 16;
  const a = unitsOf(inner);
  const b = unitsOf(outer);
  return a.every((unit, i) => (unit & unitMask(bits, outer.prefix - i * bits)) === b[i]);
}

/** The special range a block lies in, or undefined for a public block. */
function unreachableRange(cidr: Cidr): { range: string; kind: string } | undefined {
  return UNREACHABLE.find(({ range }) => {
    const outer = parseCidr(range);
    return !("error" in outer) && within(cidr, outer);
  });
}

/**
 * Parses the comma-separated `allowedSshCidrs` setting: each entry a valid CIDR no wider than /8
 * (IPv4) or /32 (IPv6), and public (not loopback, link-local, private, ULA...: see UNREACHABLE).
 * Duplicates are dropped; the order is kept.
 *
 * @example
 * parseAllowedCidrs("203.0.113.7, 2001:db8::/48") // { cidrs: ["203.0.113.7/32", "2001:db8::/48"] }
 * parseAllowedCidrs("0.0.0.0/0") // { error: '"0.0.0.0/0" is not a restriction: it is the whole IPv4 internet' }
 */
export function parseAllowedCidrs(value: string): { cidrs: Cidr[] } | { error: string } {
  const cidrs: Cidr[] = [];
  for (const entry of value.split(",").map((s) => s.trim())) {
    if (entry === "") continue;
    const cidr = parseCidr(entry);
    if ("error" in cidr) return cidr;
    if (cidr.prefix === 0) {
      const internet = cidr.family === 4 ? "IPv4" : "IPv6";
      return { error: `"${entry}" is not a restriction: it is the whole ${internet} internet` };
    }
    const widest = cidr.family === 4 ? WIDEST_IPV4_PREFIX : WIDEST_IPV6_PREFIX;
    if (cidr.prefix < widest) {
      return {
        error: `"${entry}" is not a restriction: it is wider than /${widest} (list your own addresses, e.g. 203.0.113.7/32)`,
      };
    }
    const special = unreachableRange(cidr);
    if (special) {
      return {
        error: `"${entry}" is in ${special.range}, ${special.kind}: the instance's public address never sees connections from it, so SSH would be closed to you. List your public address (curl https://checkip.amazonaws.com)`,
      };
    }
    if (!cidrs.some((c) => c.text === cidr.text)) cidrs.push(cidr);
  }
  return { cidrs };
}

/** A bare IPv4 or IPv6 address as a one-host block, or undefined when `text` is not one. */
export function parseAddress(text: string): Cidr | undefined {
  if (text.includes("/")) return undefined;
  const parsed = parseCidr(text);
  return "error" in parsed ? undefined : parsed;
}

/**
 * A test of whether an address lies in one of `blocks`, which are parsed once (blocks that do not
 * parse are skipped): ip-ranges.json has thousands, and a zone may have many records.
 */
export function blockMatcher(blocks: readonly string[]): (address: Cidr) => boolean {
  const parsed = blocks
    .map(parseCidr)
    .filter((b): b is Cidr => !("error" in b))
    .map((b) => ({ family: b.family, prefix: b.prefix, units: unitsOf(b) }));
  return (address) => {
    const units = unitsOf(address);
    const bits = address.family === 4 ? 8 : 16;
    return parsed.some(
      (b) =>
        b.family === address.family &&
        b.prefix <= address.prefix &&
        units.every((unit, i) => (unit & unitMask(bits, b.prefix - i * bits)) === b.units[i]),
    );
  };
}
