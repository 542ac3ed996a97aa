/**
 * TLS protocol names as Lightsail writes them: load-balancer policy protocols (`TLSv1`, `TLSv1.1`,
 * `TLSv1.2`; exact spelling [UNVERIFIED], so any of `TLSv1.0`, `TLS1.2`, `Protocol-TLSv1` is read
 * too) and distribution minimums (`TLSv1.1_2016`, `TLSv1.2_2021`: version, underscore, year).
 */

export interface ProtocolVersion {
  family: "SSL" | "TLS";
  major: number;
  minor: number;
}

const VERSION = /^\s*(?:protocol-)?(ssl|tls)\s*v?(\d+)(?:\.(\d+))?(?![\d.])/i;

/** `TLSv1` -> TLS 1.0, `TLSv1.2_2021` -> TLS 1.2, `SSLv3` -> SSL 3.0; undefined when not a version. */
export function parseProtocol(text: string): ProtocolVersion | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  return {
    family: m[1]?.toUpperCase() === "SSL" ? "SSL" : "TLS",
    major: Number(m[2]),
    minor: Number(m[3] ?? 0),
  };
}

/** SSL, TLS 1.0 and TLS 1.1: deprecated (RFC 8996), refused by current browsers' defaults. */
export function isLegacy(v: ProtocolVersion): boolean {
  return v.family === "SSL" || v.major < 1 || (v.major === 1 && v.minor < 2);
}

/** "TLS 1.0", "SSL 3.0". */
export function versionName(v: ProtocolVersion): string {
  return `${v.family} ${v.major}.${v.minor}`;
}
