/**
 * A generated account for scale tests and benchmarks: N instances and M load balancers spread
 * round-robin over the given regions (default: the 19 Lightsail regions, all enabled), with
 * firewall and HTTPS variants drawn from a seeded PRNG, so the same options give the same account.
 *
 * Instance firewalls: WordPress default (22/80/443 open to the world), SSH restricted to one /32
 * plus lightsail-connect, SSH open on IPv6 only, an all-protocols rule ("-1" or "all"), old-style entries
 * with no cidrs keys, or web ports only. Load balancers (each with one certificate): HTTP only
 * with an unattached certificate, HTTPS with redirection, or HTTPS without redirection.
 * IAM is small and clean: root has a virtual MFA device and no access keys.
 */
import { LIGHTSAIL_REGIONS } from "../../../shared/aws/regions";
import {
  emptyRegion,
  type FakeAccount,
  isoTime,
  type LightsailRegionData,
  reportTime,
} from "../account";
import { seededRandom } from "../random";
import {
  credentialReport,
  instance,
  lbCertificate,
  loadBalancer,
  oldPort,
  port,
  worldPort,
} from "./build";

export interface SyntheticOptions {
  instances: number;
  loadBalancers: number;
  regions?: readonly string[];
  seed?: number;
  now?: Date;
  /** Default 210987654321. */
  accountId?: string;
  /** IAM roles that exist (STS AssumeRole into them works). */
  roles?: string[];
}

const DEFAULT_ACCOUNT_ID = "210987654321";
const DAY_MS = 86_400_000;

const FIREWALLS = [
  { weight: 40, ports: () => [worldPort(22), worldPort(80), worldPort(443)] },
  {
    weight: 30,
    ports: (i: number) => [
      port(22, 22, {
        cidrs: [`203.0.113.${i % 256}/32`],
        ipv6Cidrs: [],
        cidrListAliases: ["lightsail-connect"],
      }),
      worldPort(80),
      worldPort(443),
    ],
  },
  { weight: 10, ports: () => [port(22, 22, { cidrs: [], ipv6Cidrs: ["::/0"] }), worldPort(80)] },
  // All protocols, spelled "-1" (what real responses send) or "all" (botocore's NetworkProtocol
  // enum value) by turns, so both reach the SDK and the checks.
  {
    weight: 5,
    ports: (i: number) => [
      port(0, 65535, { cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] }, i % 2 === 0 ? "-1" : "all"),
    ],
  },
  {
    weight: 5,
    ports: () => [oldPort(22, "Anywhere (0.0.0.0/0)"), oldPort(80, "Anywhere (0.0.0.0/0)")],
  },
  { weight: 10, ports: () => [worldPort(80), worldPort(443)] },
];

export function syntheticAccount(options: SyntheticOptions): FakeAccount {
  const { instances: instanceCount, loadBalancers: lbCount, seed = 1, now = new Date() } = options;
  const ACCOUNT_ID = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const regions = options.regions ?? LIGHTSAIL_REGIONS;
  const random = seededRandom(seed);
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join("");
  const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`;
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const ahead = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const totalWeight = FIREWALLS.reduce((sum, f) => sum + f.weight, 0);
  const pickFirewall = () => {
    let draw = random() * totalWeight;
    for (const firewall of FIREWALLS) {
      draw -= firewall.weight;
      if (draw < 0) return firewall;
    }
    return FIREWALLS[0] as (typeof FIREWALLS)[number];
  };

  const lightsail: Record<string, LightsailRegionData> = {};
  const regionOf = (i: number) => regions[i % regions.length] ?? "us-east-1";
  const dataOf = (region: string) => {
    lightsail[region] ??= emptyRegion();
    return lightsail[region];
  };

  for (let i = 0; i < instanceCount; i++) {
    const region = regionOf(i);
    const ip = `${(i >> 8) & 255}.${i & 255}`;
    dataOf(region).instances.push(
      instance({
        accountId: ACCOUNT_ID,
        region,
        name: `site-${String(i).padStart(5, "0")}`,
        guid: guid(),
        ec2Id: `0${hex(16)}`,
        createdAt: ago(1 + Math.floor(random() * 1000)),
        privateIp: `172.26.${ip}`,
        publicIp: `198.${18 + (i >> 16)}.${ip}`,
        ipv6Address: `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`,
        ports: pickFirewall().ports(i),
        httpTokens: random() < 0.5 ? "required" : "optional",
        autoSnapshot: random() < 0.3,
      }),
    );
  }

  for (let j = 0; j < lbCount; j++) {
    const region = regionOf(j);
    const data = dataOf(region);
    const name = `lb-${String(j).padStart(4, "0")}`;
    const certificateName = `${name}-cert`;
    const variant = Math.floor(random() * 3); // 0 HTTP only, 1 HTTPS + redirect, 2 HTTPS only
    const https = variant > 0;
    const target =
      data.instances[Math.floor(j / regions.length) % Math.max(data.instances.length, 1)];
    data.loadBalancers.push(
      loadBalancer({
        accountId: ACCOUNT_ID,
        region,
        name,
        guid: guid(),
        createdAt: ago(200),
        https,
        httpsRedirection: variant === 1,
        certificates: [{ name: certificateName, isAttached: https }],
        instanceNames: target ? [target.name] : [],
      }),
    );
    data.loadBalancerTlsCertificates.push(
      lbCertificate({
        accountId: ACCOUNT_ID,
        region,
        name: certificateName,
        guid: guid(),
        loadBalancerName: name,
        domainName: `${name}.example.com`,
        isAttached: https,
        status: "ISSUED",
        createdAt: ago(100),
        notAfter: ahead(30 + Math.floor(random() * 365)),
      }),
    );
  }

  const opsUser = {
    Path: "/",
    UserName: "ops",
    UserId: "AIDAZQ6SYNTHOPSUSER01",
    Arn: `arn:aws:iam::${ACCOUNT_ID}:user/ops`,
    CreateDate: isoTime(ago(600)),
    PasswordLastUsed: isoTime(ago(2)),
  };
  const auditor = {
    Path: "/",
    UserName: "auditor",
    UserId: "AIDAZQ6SYNTHAUDITOR02",
    Arn: `arn:aws:iam::${ACCOUNT_ID}:user/auditor`,
    CreateDate: isoTime(ago(30)),
  };

  return {
    accountId: ACCOUNT_ID,
    caller: { Arn: auditor.Arn, UserId: auditor.UserId },
    disabledRegions: [],
    lightsail,
    distributions: [],
    iam: {
      credentialReportCsv: credentialReport([
        {
          user: "<root_account>",
          arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
          user_creation_time: reportTime(ago(1500)),
          password_enabled: "not_supported",
          password_last_used: reportTime(ago(400)),
          password_last_changed: "not_supported",
          password_next_rotation: "not_supported",
          mfa_active: "true",
        },
        {
          user: "ops",
          arn: opsUser.Arn,
          user_creation_time: reportTime(ago(600)),
          password_enabled: "true",
          password_last_used: reportTime(ago(2)),
          password_last_changed: reportTime(ago(100)),
          mfa_active: "true",
        },
        {
          user: "auditor",
          arn: auditor.Arn,
          user_creation_time: reportTime(ago(30)),
          access_key_1_active: "true",
          access_key_1_last_rotated: reportTime(ago(30)),
          access_key_1_last_used_date: reportTime(ago(0)),
          access_key_1_last_used_region: "us-east-1",
          access_key_1_last_used_service: "lightsail",
        },
      ]),
      accountSummary: {
        Users: 2,
        Groups: 0,
        MFADevices: 2,
        MFADevicesInUse: 2,
        AccountMFAEnabled: 1,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 1,
      },
      users: [opsUser, auditor],
      groups: [],
      groupMembers: {},
      groupPolicies: {},
      virtualMfaDevices: [
        {
          SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`,
          EnableDate: isoTime(ago(1400)),
          User: {
            UserId: ACCOUNT_ID,
            Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
            CreateDate: isoTime(ago(1500)),
            PasswordLastUsed: isoTime(ago(400)),
          },
        },
        {
          SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/ops`,
          EnableDate: isoTime(ago(590)),
          User: opsUser,
        },
      ],
      mfaDevices: [
        {
          UserName: "ops",
          SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/ops`,
          EnableDate: isoTime(ago(590)),
        },
      ],
    },
    ssmNodes: {},
    ...(options.roles ? { roles: options.roles } : {}),
  };
}
