/**
 * The demo account: a small WordPress agency, account 123456789012, every date relative to `now`.
 * Integration tests rely on these facts; change them only together with those tests (DEMO_RESULTS
 * in tests/integration/audit.test.ts: 76 results).
 *
 * Expected check outcomes:
 * - `iam-root-not-recently-used`: FAIL. Root password used 3 days ago (the most recent of the
 *   three dates); access key 1 last used 200 days ago; key 2 never used.
 * - `iam-root-mfa-enabled`: FAIL. AccountMFAEnabled 0, report `mfa_active` false, no root
 *   virtual MFA device.
 * - `iam-root-hardware-mfa`: no result (root has no MFA at all; iam-root-mfa-enabled reports it).
 * - `iam-root-no-access-keys`: FAIL. Root access key 1 is active (key 2 exists, inactive);
 *   AccountAccessKeysPresent 1.
 * - `iam-admin-group-in-use`: PASS (account 123456789012). Groups: Administrators
 *   (AdministratorAccess, member admin), OldAdmins (AdministratorAccess, no members: a leftover,
 *   not enough on its own), ReadOnly (ReadOnlyAccess, member editor).
 * - `iam-user-console-mfa-enabled`: `admin` PASS (password + MFA, virtual device
 *   arn:aws:iam::123456789012:mfa/admin); `editor` FAIL (password, no MFA); `deployer` has no
 *   console password (one access key, used yesterday for lightsail), so it is not a FAIL.
 * - Instances, per check (ssh / admin ports / https reachable / auto snapshots / IMDSv2):
 *   - us-east-1 `wordpress-blog`: 22, 80, 443 open to 0.0.0.0/0 and ::/0 (blueprint default, merged
 *     entries); snapshots on; IMDSv2 required. FAIL / PASS / PASS / PASS / PASS.
 *   - us-east-1 `wordpress-shop`: 22 only from 203.0.113.10/32 and lightsail-connect; 80, 443 open;
 *     snapshots on; httpTokens optional. PASS / PASS / PASS / PASS / FAIL.
 *   - eu-west-2 `agency-site`: one rule, protocol "-1", ports 0-65535, from 0.0.0.0/0 and ::/0;
 *     snapshots on; optional. FAIL / FAIL (every port) / PASS (443 is open) / PASS / FAIL.
 *   - eu-west-2 `client-staging`: 22 open on IPv6 only (cidrs [], ipv6Cidrs ["::/0"]), its IPv4 22
 *     rule (a separate entry) admits only 198.51.100.0/24; 80 open; MySQL 3306 open on IPv6 only;
 *     no 443 and nothing in front of it; no snapshots; optional.
 *     FAIL / FAIL (3306 over IPv6) / FAIL / FAIL / FAIL.
 *   - ap-southeast-2 `legacy-site`: old-style entries without cidrs/ipv6Cidrs keys, accessFrom
 *     "Anywhere (0.0.0.0/0)" on 22, 80 and FTP 21; no 443, but load balancer `sydney-lb` fronts it;
 *     no snapshots; no metadataOptions (predates them). FAIL / FAIL (21) / PASS / FAIL / FAIL.
 *   - ap-southeast-2 `mail-relay`: Debian, 2200-2300 and 443 open (no rule covers 22 or an admin
 *     port); no snapshots; IMDSv2 required. PASS / PASS / no result (not WordPress) / FAIL / PASS.
 * - Load balancers, per check (https / redirect / certificate valid / TLS policy):
 *   - us-east-1 `shop-lb`: protocol HTTP; certificate `shop-example-com` ISSUED (expires in 25
 *     days) but not attached. FAIL / no result / no result / no result.
 *   - us-east-1 `blog-lb`: HTTPS, redirection on, attached certificate expires in 200 days, TLS
 *     policy TLS-2016-08. PASS / PASS / PASS / FAIL.
 *   - eu-west-2 `agency-lb`: HTTPS, redirection off, certificate expires in 245 days,
 *     TLS-2016-08. PASS / FAIL / PASS / FAIL.
 *   - ap-southeast-2 `sydney-lb`: HTTPS, redirection on, attached certificate `legacy-example-com`
 *     expires in 20 days, TLS-FS-1-2-Res-2019-08; redirection and policy reported only in
 *     configurationOptions (no top-level fields). PASS / PASS / FAIL / PASS.
 * - `lightsail-static-ip-attached`: us-east-1 `wordpress-blog-ip` (192.0.2.10) PASS (attached to
 *   wordpress-blog); eu-west-2 `old-agency-ip` (192.0.2.99) FAIL (detached: no `attachedTo` key).
 * - Managed databases (not public / backups enabled): us-east-1 `blog-db` PASS / PASS (private,
 *   backups on); eu-west-2 `agency-db` FAIL / FAIL (public mode, backups off).
 * - Buckets (not public / versioning): us-east-1 `blog-media` PASS / PASS (private,
 *   individual objects may be made public, wordpress-blog given access, versioning Enabled);
 *   eu-west-2 `agency-uploads` FAIL / FAIL (getObject public, versioning NeverEnabled).
 * - `lightsail-bucket-access-keys-rotated`: `blog-media` PASS (one active key, 40 days old);
 *   `agency-uploads` FAIL (one active key created 400 days ago, used 3 days ago).
 * - `lightsail-distribution-https` (us-east-1): `blog-cdn` PASS (www.blog.example.com, certificate
 *   `blog-cdn-cert` ISSUED, expires in 296 days, TLSv1.2_2021, origin wordpress-blog); `shop-cdn`
 *   FAIL (default *.cloudfront.net domain only, so no certificate needed, but minimum TLS
 *   TLSv1.1_2016; origin shop-lb).
 * - `lightsail-instance-ssm-managed`: `wordpress-blog` and `wordpress-shop` PASS (nodes tagged
 *   lightsail:instance); eu-west-2 `agency-site` PASS (its node is untagged but named after it);
 *   `client-staging`, `legacy-site` and `mail-relay` FAIL (no node).
 * - `lightsail-instance-auto-updates-enforced` (opted in: `wordpress-blog`, `wordpress-shop`,
 *   `mail-relay`, tagged auto-patch=true): `wordpress-blog` FAIL (yesterday's run failed: apt-get
 *   could not install unattended-upgrades); `wordpress-shop` PASS (same command succeeded, a reboot
 *   is pending, 2 security updates waiting); `mail-relay` FAIL (opted in, no managed node); the
 *   others get no result (not opted in, never run).
 * - `lightsail-dns-no-dangling-records` (zone example.com, us-east-1): FAIL for
 *   `old-shop.example.com A 192.0.2.200` (in the demo's EC2 range, held by nothing of the account)
 *   and `promo.example.com CNAME d0e1f2a3b4c5d6.cloudfront.net` (no such distribution); the A and
 *   AAAA of blog (wordpress-blog's addresses), the CDN CNAME (blog-cdn), the alias A to shop-lb and
 *   agency.example.com (old-agency-ip, detached but still the account's) are fine;
 *   `mail.example.com A 198.51.100.25` is outside AWS and MX/TXT are not judged.
 * - `lightsail-database-minor-upgrades-on`: `blog-db` PASS (nothing pending); `agency-db` FAIL
 *   (a minor engine upgrade due 45 days ago is still pending).
 * - ap-east-1 is an opt-in region the owner never enabled: every call there fails
 *   UnrecognizedClientException; it is reported as not enabled, not as an audit failure. Every
 *   other Lightsail region is empty.
 *
 * Also: SSM (us-east-1) has mi-0123456789abcdef0 for wordpress-blog and mi-0fedcba9876543210 for
 * wordpress-shop, both Debian 12 and Online, tagged lightsail:instance / lightsail:region, and one
 * run of lightsail-auditor-prod-enforce-patching on both a day ago; SSM (eu-west-2) has
 * mi-0a1b2c3d4e5f67890, named agency-site, untagged.
 * The caller is the audit Lambda's role.
 */
import { emptyRegion, epoch, type FakeAccount, isoTime, reportTime } from "../account";
import {
  bucket,
  bucketAccessKey,
  credentialReport,
  domain,
  instance,
  lbCertificate,
  loadBalancer,
  managedNode,
  oldPort,
  patchResultLine,
  port,
  relationalDatabase,
  staticIp,
  worldPort,
} from "./build";
import { DEMO_INVENTORIES, inventoryOutput } from "./wordpress-inventories";

const ACCOUNT_ID = "123456789012";
const DAY_MS = 86_400_000;

export function demoAccount(now: Date): FakeAccount {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const ahead = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const arn = (resource: string) => `arn:aws:iam::${ACCOUNT_ID}:${resource}`;
  const base = { accountId: ACCOUNT_ID };

  const admin = {
    Path: "/",
    UserName: "admin",
    UserId: "AIDAZQ6ADMINEXAMPLE01",
    Arn: arn("user/admin"),
    CreateDate: isoTime(ago(800)),
    PasswordLastUsed: isoTime(ago(1)),
  };
  const users = [
    admin,
    {
      Path: "/",
      UserName: "editor",
      UserId: "AIDAZQ6EDITOREXAMPL02",
      Arn: arn("user/editor"),
      CreateDate: isoTime(ago(300)),
      PasswordLastUsed: isoTime(ago(12)),
    },
    {
      Path: "/",
      UserName: "deployer",
      UserId: "AIDAZQ6DEPLOYEREXAM03",
      Arn: arn("user/deployer"),
      CreateDate: isoTime(ago(500)),
    },
  ];

  const useast1 = {
    instances: [
      instance({
        ...base,
        region: "us-east-1",
        name: "wordpress-blog",
        guid: "b03e7647-87b5-441a-91db-0c7473231b7d",
        ec2Id: "0800f9ba0b65e48d3",
        createdAt: ago(720),
        privateIp: "172.26.3.41",
        publicIp: "192.0.2.10",
        ipv6Address: "2001:db8:2153:4b00:7220:92c2:1c41:1f0f",
        ports: [worldPort(80), worldPort(22), worldPort(443)],
        httpTokens: "required",
        autoSnapshot: true,
        tags: [
          { key: "wordpress" },
          { key: "site", value: "blog.example.com" },
          { key: "auto-patch", value: "true" },
        ],
      }),
      instance({
        ...base,
        region: "us-east-1",
        name: "wordpress-shop",
        guid: "5e0c1a7d-3f2b-4c88-9d41-7b6a2e90c3f5",
        ec2Id: "04eb483325cca5364",
        createdAt: ago(400),
        privateIp: "172.26.9.118",
        publicIp: "192.0.2.11",
        ipv6Address: "2001:db8:2153:4b00:1b7e:55c0:9a31:64d2",
        ports: [
          port(22, 22, {
            cidrs: ["203.0.113.10/32"],
            ipv6Cidrs: [],
            cidrListAliases: ["lightsail-connect"],
          }),
          worldPort(80),
          worldPort(443),
        ],
        httpTokens: "optional",
        autoSnapshot: true,
        tags: [{ key: "auto-patch", value: "true" }],
      }),
    ],
    loadBalancers: [
      loadBalancer({
        ...base,
        region: "us-east-1",
        name: "shop-lb",
        guid: "40486b2b-1ad0-4152-83e4-cb6d1b4ff2d8",
        createdAt: ago(380),
        https: false,
        certificates: [{ name: "shop-example-com", isAttached: false }],
        instanceNames: ["wordpress-shop"],
      }),
      loadBalancer({
        ...base,
        region: "us-east-1",
        name: "blog-lb",
        guid: "9c2f7e14-6b0a-4d3e-a5f8-2e1d7c4b9a60",
        createdAt: ago(600),
        https: true,
        httpsRedirection: true,
        certificates: [{ name: "blog-example-com", isAttached: true }],
        instanceNames: ["wordpress-blog"],
      }),
    ],
    loadBalancerTlsCertificates: [
      lbCertificate({
        ...base,
        region: "us-east-1",
        name: "shop-example-com",
        guid: "1f6d2c8a-0b3e-4a57-9e21-d84c6b7f3a19",
        loadBalancerName: "shop-lb",
        domainName: "shop.example.com",
        isAttached: false,
        status: "ISSUED",
        createdAt: ago(370),
        notAfter: ahead(25),
      }),
      lbCertificate({
        ...base,
        region: "us-east-1",
        name: "blog-example-com",
        guid: "7a3b9d20-5c4e-4f18-8b6a-0e2d1c9f7b34",
        loadBalancerName: "blog-lb",
        domainName: "blog.example.com",
        isAttached: true,
        status: "ISSUED",
        createdAt: ago(190),
        notAfter: ahead(200),
      }),
    ],
    buckets: [
      bucket({
        ...base,
        region: "us-east-1",
        name: "blog-media",
        guid: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        createdAt: ago(300),
        getObject: "private",
        allowPublicOverrides: true,
        objectVersioning: "Enabled",
        instances: ["wordpress-blog"],
      }),
    ],
    bucketAccessKeys: {
      "blog-media": [bucketAccessKey("AKIAZQ6BLOGMEDIA0001", ago(40), ago(0), "us-east-1")],
    },
    relationalDatabases: [
      relationalDatabase({
        ...base,
        region: "us-east-1",
        name: "blog-db",
        guid: "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60",
        createdAt: ago(500),
        now,
        publiclyAccessible: false,
        backupRetentionEnabled: true,
      }),
    ],
    staticIps: [
      staticIp({
        ...base,
        region: "us-east-1",
        name: "wordpress-blog-ip",
        guid: "0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f",
        createdAt: ago(720),
        ipAddress: "192.0.2.10",
        attachedTo: "wordpress-blog",
      }),
    ],
    certificates: [
      {
        certificateArn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Certificate/e3a1c5b7-2d4f-4e6a-8c0b-1f3d5e7a9c2b`,
        certificateName: "blog-cdn-cert",
        domainName: "www.blog.example.com",
        tags: [],
        certificateDetail: {
          arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Certificate/e3a1c5b7-2d4f-4e6a-8c0b-1f3d5e7a9c2b`,
          name: "blog-cdn-cert",
          domainName: "www.blog.example.com",
          status: "ISSUED",
          serialNumber: "0a:7f:31:c2:5e:84:19:d6:b0:4c:2e:93:71:58:af:06",
          subjectAlternativeNames: ["www.blog.example.com"],
          inUseResourceCount: 1,
          keyAlgorithm: "RSA-2048",
          createdAt: epoch(ago(100)),
          issuedAt: epoch(ago(99)),
          issuerCA: "Amazon",
          notBefore: epoch(ago(99)),
          notAfter: epoch(ahead(296)),
          eligibleToRenew: "ELIGIBLE",
          tags: [],
          supportCode: `${ACCOUNT_ID}/arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/e3a1c5b7-2d4f-4e6a-8c0b-1f3d5e7a9c2b`,
        },
      },
    ],
  };

  const euwest2 = {
    instances: [
      instance({
        ...base,
        region: "eu-west-2",
        name: "agency-site",
        guid: "c81f4a2e-9d37-4b60-a1e5-3f7c0d9b2e48",
        ec2Id: "0a1b2c3d4e5f60718",
        createdAt: ago(900),
        privateIp: "172.26.14.7",
        publicIp: "192.0.2.20",
        ipv6Address: "2001:db8:7c1:9e00:4a2b:8d3c:6e1f:2a90",
        ports: [port(0, 65535, { cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] }, "-1")],
        autoSnapshot: true,
        tags: [{ key: "client", value: "agency" }],
      }),
      instance({
        ...base,
        region: "eu-west-2",
        name: "client-staging",
        guid: "2d7e9b41-6a0c-4f83-b5d2-8e1a3c7f0b96",
        ec2Id: "0f9e8d7c6b5a49382",
        createdAt: ago(60),
        privateIp: "172.26.20.33",
        publicIp: "192.0.2.21",
        ipv6Address: "2001:db8:7c1:9e00:93f1:0c2d:5b7a:e416",
        ports: [
          port(22, 22, { cidrs: [], ipv6Cidrs: ["::/0"] }),
          worldPort(80),
          port(22, 22, { cidrs: ["198.51.100.0/24"], ipv6Cidrs: [] }),
          port(3306, 3306, { cidrs: [], ipv6Cidrs: ["::/0"] }),
        ],
      }),
    ],
    loadBalancers: [
      loadBalancer({
        ...base,
        region: "eu-west-2",
        name: "agency-lb",
        guid: "e6b0d3a9-4c1f-4e72-9a8d-5b2c7f1e0d63",
        createdAt: ago(500),
        https: true,
        httpsRedirection: false,
        certificates: [{ name: "agency-example-com", isAttached: true }],
        instanceNames: ["agency-site"],
      }),
    ],
    loadBalancerTlsCertificates: [
      lbCertificate({
        ...base,
        region: "eu-west-2",
        name: "agency-example-com",
        guid: "3c8e1f5a-7b2d-4a96-8e0c-9d4b6a2f1e75",
        loadBalancerName: "agency-lb",
        domainName: "agency.example.com",
        isAttached: true,
        status: "ISSUED",
        createdAt: ago(150),
        notAfter: ahead(245),
      }),
    ],
    certificates: [],
    buckets: [
      bucket({
        ...base,
        region: "eu-west-2",
        name: "agency-uploads",
        guid: "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b",
        createdAt: ago(700),
        getObject: "public",
        allowPublicOverrides: false,
        objectVersioning: "NeverEnabled",
      }),
    ],
    bucketAccessKeys: {
      "agency-uploads": [bucketAccessKey("AKIAZQ6AGENCYUPL0002", ago(400), ago(3), "eu-west-2")],
    },
    relationalDatabases: [
      relationalDatabase({
        ...base,
        region: "eu-west-2",
        name: "agency-db",
        guid: "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
        createdAt: ago(850),
        now,
        publiclyAccessible: true,
        backupRetentionEnabled: false,
        upgradeDueDaysAgo: 45,
      }),
    ],
    staticIps: [
      staticIp({
        ...base,
        region: "eu-west-2",
        name: "old-agency-ip",
        guid: "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
        createdAt: ago(1000),
        ipAddress: "192.0.2.99",
      }),
    ],
  };

  const apsoutheast2 = {
    ...emptyRegion(),
    instances: [
      instance({
        ...base,
        region: "ap-southeast-2",
        name: "legacy-site",
        guid: "8f2a6c0e-1d5b-4e93-a7c4-0b9e3d1f6a28",
        ec2Id: "0d4c3b2a1f0e9d8c7",
        createdAt: ago(2200),
        privateIp: "172.26.1.12",
        publicIp: "192.0.2.30",
        ports: [
          oldPort(22, "Anywhere (0.0.0.0/0)"),
          oldPort(80, "Anywhere (0.0.0.0/0)"),
          oldPort(21, "Anywhere (0.0.0.0/0)"),
        ],
        bundleId: "micro_1_0",
        old: true,
      }),
      instance({
        ...base,
        region: "ap-southeast-2",
        name: "mail-relay",
        guid: "6b1d9e3f-2a8c-4f05-b7e6-4c0a8d2f9e17",
        ec2Id: "07e6d5c4b3a291807",
        createdAt: ago(150),
        privateIp: "172.26.5.90",
        publicIp: "192.0.2.31",
        ipv6Address: "2001:db8:a3c:1200:5d8e:7f20:b4c1:093a",
        blueprintId: "debian_12",
        blueprintName: "Debian",
        bundleId: "nano_3_0",
        ports: [worldPort(2200, 2300), worldPort(443)],
        httpTokens: "required",
        tags: [{ key: "auto-patch", value: "true" }],
      }),
    ],
    loadBalancers: [
      loadBalancer({
        ...base,
        region: "ap-southeast-2",
        name: "sydney-lb",
        guid: "5d9a2c71-8e4b-4f06-b3d1-7c2e9a0f4b58",
        createdAt: ago(700),
        https: true,
        httpsRedirection: true,
        tlsPolicyName: "TLS-FS-1-2-Res-2019-08",
        topLevelAttributes: false,
        certificates: [{ name: "legacy-example-com", isAttached: true }],
        instanceNames: ["legacy-site"],
      }),
    ],
    loadBalancerTlsCertificates: [
      lbCertificate({
        ...base,
        region: "ap-southeast-2",
        name: "legacy-example-com",
        guid: "b7e2f0c4-3a91-4d58-8f6e-2c0d9b1a7e43",
        loadBalancerName: "sydney-lb",
        domainName: "legacy.example.com",
        isAttached: true,
        status: "ISSUED",
        createdAt: ago(375),
        notAfter: ahead(20),
      }),
    ],
  };

  return {
    accountId: ACCOUNT_ID,
    caller: {
      Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/lightsail-auditor-audit-role/lightsail-auditor-audit`,
      UserId: "AROAZQ6AUDITROLEXA04:lightsail-auditor-audit",
    },
    disabledRegions: ["ap-east-1"],
    lightsail: { "us-east-1": useast1, "eu-west-2": euwest2, "ap-southeast-2": apsoutheast2 },
    domains: [
      domain({
        ...base,
        name: "example.com",
        guid: "824cede0-1b2c-4f84-8dbc-3e4f5a6b7c8d",
        createdAt: ago(900),
        records: [
          ["blog.example.com", "A", "192.0.2.10"],
          ["blog.example.com", "AAAA", "2001:db8:2153:4b00:7220:92c2:1c41:1f0f"],
          ["www.blog.example.com", "CNAME", "d1a2b3c4d5e6f7.cloudfront.net"],
          [
            "shop.example.com",
            "A",
            "40486b2b1ad0415283e4cb6d1b4ff2d8-40486b2b.us-east-1.elb.amazonaws.com",
            true,
          ],
          ["agency.example.com", "A", "192.0.2.99"],
          ["old-shop.example.com", "A", "192.0.2.200"],
          ["promo.example.com", "CNAME", "d0e1f2a3b4c5d6.cloudfront.net"],
          ["mail.example.com", "A", "198.51.100.25"],
          ["example.com", "MX", "10 mail.example.com"],
          ["example.com", "TXT", '"v=spf1 mx -all"'],
        ],
      }),
    ],
    // The demo's addresses are documentation ones: its copy of ip-ranges.json publishes
    // 192.0.2.0/24 and 2001:db8::/32 as EC2 ranges (198.51.100.0/24 stays "outside AWS").
    ipRanges: {
      syncToken: "1764547200",
      createDate: "2025-12-01-00-00-00",
      prefixes: [
        {
          ip_prefix: "192.0.2.0/24",
          region: "us-east-1",
          service: "AMAZON",
          network_border_group: "us-east-1",
        },
        {
          ip_prefix: "192.0.2.0/24",
          region: "us-east-1",
          service: "EC2",
          network_border_group: "us-east-1",
        },
        {
          ip_prefix: "203.0.113.0/24",
          region: "GLOBAL",
          service: "CLOUDFRONT",
          network_border_group: "GLOBAL",
        },
      ],
      ipv6_prefixes: [
        {
          ipv6_prefix: "2001:db8::/32",
          region: "us-east-1",
          service: "EC2",
          network_border_group: "us-east-1",
        },
      ],
    },
    distributions: [
      {
        name: "blog-cdn",
        arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Distribution/a4c2e6f8-0b1d-4e3f-9a5c-7e2b4d6f8a01`,
        supportCode: `${ACCOUNT_ID}/E2Q7F3EXAMPLE1`,
        createdAt: epoch(ago(100)),
        location: { availabilityZone: "all", regionName: "us-east-1" },
        resourceType: "Distribution",
        alternativeDomainNames: ["www.blog.example.com"],
        status: "Enabled",
        isEnabled: true,
        domainName: "d1a2b3c4d5e6f7.cloudfront.net",
        bundleId: "small_1_0",
        certificateName: "blog-cdn-cert",
        origin: {
          name: "wordpress-blog",
          resourceType: "Instance",
          regionName: "us-east-1",
          protocolPolicy: "http-only",
          responseTimeout: 30,
          ipAddressType: "dualstack",
        },
        originPublicDNS: "ec2-192-0-2-10.compute-1.amazonaws.com",
        defaultCacheBehavior: { behavior: "cache" },
        cacheBehaviors: [
          { path: "wp-admin/*", behavior: "dont-cache" },
          { path: "wp-login.php", behavior: "dont-cache" },
        ],
        ableToUpdateBundle: true,
        ipAddressType: "dualstack",
        tags: [],
        viewerMinimumTlsProtocolVersion: "TLSv1.2_2021",
      },
      {
        name: "shop-cdn",
        arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Distribution/7f3e1b9d-5c2a-4e84-a6d0-3b9c5e7f1a24`,
        supportCode: `${ACCOUNT_ID}/E3R8G4EXAMPLE2`,
        createdAt: epoch(ago(700)),
        location: { availabilityZone: "all", regionName: "us-east-1" },
        resourceType: "Distribution",
        alternativeDomainNames: [],
        status: "Enabled",
        isEnabled: true,
        domainName: "d9f8e7d6c5b4a3.cloudfront.net",
        bundleId: "medium_1_0",
        origin: {
          name: "shop-lb",
          resourceType: "LoadBalancer",
          regionName: "us-east-1",
          protocolPolicy: "http-only",
          responseTimeout: 30,
          ipAddressType: "dualstack",
        },
        originPublicDNS: "40486b2b1ad0415283e4cb6d1b4ff2d8-40486b2b.us-east-1.elb.amazonaws.com",
        defaultCacheBehavior: { behavior: "cache" },
        cacheBehaviors: [{ path: "checkout/*", behavior: "dont-cache" }],
        ableToUpdateBundle: true,
        ipAddressType: "dualstack",
        tags: [],
        viewerMinimumTlsProtocolVersion: "TLSv1.1_2016",
      },
    ],
    iam: {
      credentialReportCsv: credentialReport([
        {
          user: "<root_account>",
          arn: arn("root"),
          user_creation_time: reportTime(ago(1200)),
          password_enabled: "not_supported",
          password_last_used: reportTime(ago(3)),
          password_last_changed: "not_supported",
          password_next_rotation: "not_supported",
          access_key_1_active: "true",
          access_key_1_last_rotated: reportTime(ago(900)),
          access_key_1_last_used_date: reportTime(ago(200)),
          access_key_1_last_used_region: "us-east-1",
          access_key_1_last_used_service: "iam",
          access_key_2_last_rotated: reportTime(ago(700)),
        },
        {
          user: "admin",
          arn: arn("user/admin"),
          user_creation_time: reportTime(ago(800)),
          password_enabled: "true",
          password_last_used: reportTime(ago(1)),
          password_last_changed: reportTime(ago(800)),
          mfa_active: "true",
        },
        {
          user: "editor",
          arn: arn("user/editor"),
          user_creation_time: reportTime(ago(300)),
          password_enabled: "true",
          password_last_used: reportTime(ago(12)),
          password_last_changed: reportTime(ago(300)),
        },
        {
          user: "deployer",
          arn: arn("user/deployer"),
          user_creation_time: reportTime(ago(500)),
          access_key_1_active: "true",
          access_key_1_last_rotated: reportTime(ago(90)),
          access_key_1_last_used_date: reportTime(ago(1)),
          access_key_1_last_used_region: "us-east-1",
          access_key_1_last_used_service: "lightsail",
        },
      ]),
      accountSummary: {
        Users: 3,
        UsersQuota: 5000,
        Groups: 3,
        GroupsQuota: 300,
        ServerCertificates: 0,
        ServerCertificatesQuota: 20,
        UserPolicySizeQuota: 2048,
        GroupPolicySizeQuota: 5120,
        GroupsPerUserQuota: 10,
        SigningCertificatesPerUserQuota: 2,
        AccessKeysPerUserQuota: 2,
        MFADevices: 1,
        MFADevicesInUse: 1,
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 1,
        AccountPasswordPresent: 1,
        AccountSigningCertificatesPresent: 0,
        AttachedPoliciesPerGroupQuota: 10,
        AttachedPoliciesPerRoleQuota: 10,
        AttachedPoliciesPerUserQuota: 10,
        Policies: 2,
        PoliciesQuota: 1500,
        PolicySizeQuota: 6144,
        PolicyVersionsInUse: 6,
        PolicyVersionsInUseQuota: 10000,
        VersionsPerPolicyQuota: 5,
        GlobalEndpointTokenVersion: 1,
        AssumeRolePolicySizeQuota: 2048,
        InstanceProfiles: 0,
        InstanceProfilesQuota: 1000,
        Providers: 0,
        RolePolicySizeQuota: 10240,
        Roles: 5,
        RolesQuota: 1000,
      },
      users,
      groups: [
        {
          Path: "/",
          GroupName: "Administrators",
          GroupId: "AGPAZQ6ADMINGROUPX05",
          Arn: arn("group/Administrators"),
          CreateDate: isoTime(ago(800)),
        },
        {
          Path: "/",
          GroupName: "OldAdmins",
          GroupId: "AGPAZQ6OLDADMINSXX06",
          Arn: arn("group/OldAdmins"),
          CreateDate: isoTime(ago(1100)),
        },
        {
          Path: "/",
          GroupName: "ReadOnly",
          GroupId: "AGPAZQ6READONLYGRP07",
          Arn: arn("group/ReadOnly"),
          CreateDate: isoTime(ago(300)),
        },
      ],
      groupMembers: { Administrators: ["admin"], OldAdmins: [], ReadOnly: ["editor"] },
      groupPolicies: {
        Administrators: [
          {
            PolicyName: "AdministratorAccess",
            PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
          },
        ],
        OldAdmins: [
          {
            PolicyName: "AdministratorAccess",
            PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
          },
        ],
        ReadOnly: [
          { PolicyName: "ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
        ],
      },
      virtualMfaDevices: [
        { SerialNumber: arn("mfa/admin"), EnableDate: isoTime(ago(790)), User: admin },
      ],
      mfaDevices: [
        { UserName: "admin", SerialNumber: arn("mfa/admin"), EnableDate: isoTime(ago(790)) },
      ],
    },
    ssmNodes: {
      "us-east-1": [
        managedNode({
          instanceId: "mi-0123456789abcdef0",
          lightsailName: "wordpress-blog",
          lightsailRegion: "us-east-1",
          privateIp: "172.26.3.41",
          registeredAt: ago(200),
          lastPingAt: ago(0),
          activationId: "5743558d-563b-4457-8682-d16c3e0a1b2c",
        }),
        managedNode({
          instanceId: "mi-0fedcba9876543210",
          lightsailName: "wordpress-shop",
          lightsailRegion: "us-east-1",
          privateIp: "172.26.9.118",
          registeredAt: ago(180),
          lastPingAt: ago(0),
          activationId: "9e1f0c2d-7a3b-4c5d-8e6f-0a1b2c3d4e5f",
        }),
      ],
      "eu-west-2": [
        managedNode({
          instanceId: "mi-0a1b2c3d4e5f67890",
          lightsailName: "agency-site",
          lightsailRegion: "eu-west-2",
          privateIp: "172.26.14.7",
          registeredAt: ago(90),
          lastPingAt: ago(0),
          activationId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
          tagged: false,
        }),
      ],
    },
    // What the inventory prints today: the same as yesterday.
    wordpressInventories: Object.fromEntries(
      Object.entries(DEMO_INVENTORIES).map(([id, sites]) => [id, inventoryOutput(sites)]),
    ),
    ssmCommands: [
      // Yesterday's WordPress inventory (the audit then reads the newest per node).
      ...(["us-east-1", "eu-west-2"] as const).map((region, i) => ({
        region,
        CommandId: `4d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0${i}`,
        DocumentName: "lightsail-auditor-prod-wordpress-inventory",
        Comment: "lightsail-auditor: read-only WordPress inventory",
        RequestedDateTime: epoch(ago(1)),
        results: Object.fromEntries(
          Object.entries(DEMO_INVENTORIES)
            .filter(([id]) => (region === "us-east-1") === !id.startsWith("mi-0a1b"))
            .map(([id, sites]) => [
              id,
              {
                Status: "Success" as const,
                ResponseCode: 0,
                StandardOutputContent: inventoryOutput(sites),
                StandardErrorContent: "",
              },
            ]),
        ),
      })),
      {
        region: "us-east-1",
        CommandId: "6f0e2c1a-8b3d-4e5f-9a7b-1c2d3e4f5a6b",
        DocumentName: "lightsail-auditor-prod-enforce-patching",
        Comment: "lightsail-auditor: enforce automatic patching",
        RequestedDateTime: epoch(ago(1)),
        results: {
          "mi-0123456789abcdef0": {
            Status: "Failed",
            ResponseCode: 1,
            StandardOutputContent: `${patchResultLine({
              pendingSecurityUpdates: null,
              dryRun: "unavailable",
              errors: [
                "cannot install unattended-upgrades (apt-get install failed; see the error output)",
                "unattended-upgrade is not installed, so nothing upgrades automatically",
              ],
            })}\n`,
            StandardErrorContent:
              "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt-get)\n",
          },
          "mi-0fedcba9876543210": {
            Status: "Success",
            ResponseCode: 0,
            StandardOutputContent: `${patchResultLine({ rebootRequired: true, pendingSecurityUpdates: 2 })}\n`,
            StandardErrorContent: "",
          },
        },
      },
    ],
  };
}
