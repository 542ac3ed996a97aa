/**
 * Errors that name the right thing, with the real SDK clients in the CLI process: Lightsail, IAM
 * and STS against the local fake, DynamoDB on moto. Each message is one line that says which
 * input is wrong; no SDK internals reach the user.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type CliIo, main } from "../../shared/cli";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type Moto, startMoto } from "../helpers/moto";

let moto: Moto;
let fake: FakeAws;

beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(() => moto?.stop());

beforeEach(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  for (const [k, v] of Object.entries({
    AWS_ENDPOINT_URL: fake.url,
    IP_RANGES: `${fake.url}/ip-ranges.json`,
    AWS_ENDPOINT_URL_DYNAMODB: moto.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
    // Never reach for the EC2 instance metadata service (off loopback) when credentials fail.
    AWS_EC2_METADATA_DISABLED: "true",
    STATE_TABLE: undefined,
    TOPIC_ARN: undefined,
    AWS_PROFILE: undefined,
  }))
    vi.stubEnv(k, v);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
});

/** The CLI as a shell runs it: the real environment, captured output. */
async function cli(args: string[]) {
  const out = { text: "" };
  const err = { text: "" };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.text += s) },
    stderr: { write: (s: string) => (err.text += s) },
    env: process.env,
  };
  const code = await main(args, io);
  return { code, out: out.text, err: err.text };
}
const R = ["--regions", "us-east-1", "--patching", "off"];

describe("--state-table naming a table that does not exist", () => {
  it.each([
    ["--preview-alert", [...R, "--preview-alert"]],
    ["fix --apply", ["fix", "--apply", "--yes", ...R, "--allowed-ssh-cidrs", "203.0.113.7/32"]],
    ["undo", ["undo", "--change", "3f9a2c81b7d0"]],
  ])("%s names the table and the region before auditing", async (_, args) => {
    const { code, err } = await cli([...args, "--state-table", "nosuchtable"]);

    expect(code).toBe(1);
    expect(err).toBe(
      "lightsail-audit: --state-table (STATE_TABLE): there is no DynamoDB table \"nosuchtable\" in us-east-1 for these credentials; give the stack's StateTableName output, with AWS_REGION set to the stack's region\n",
    );
    expect(fake.calls).toEqual([]); // refused before the audit
  });
});

describe("the AWS environment", () => {
  it.each([
    ["AWS_ENDPOINT_URL", "not-a-url"],
    ["AWS_ENDPOINT_URL_LIGHTSAIL", "ftp://127.0.0.1:1"],
  ])("%s=%s is named as the invalid variable", async (name, value) => {
    vi.stubEnv(name, value);

    const { code, err } = await cli(R);

    expect(code).toBe(1);
    expect(err).toBe(
      `lightsail-audit: ${name} is not a valid endpoint URL ("${value}"): give a full http:// or https:// URL, or unset it\n`,
    );
    expect(fake.calls).toEqual([]);
  });

  it("AWS_PROFILE naming a profile that is not configured says so, naming the files", async () => {
    const home = await mkdtemp(join(tmpdir(), "aws-home-"));
    const config = join(home, "config");
    const credentials = join(home, "credentials");
    await writeFile(
      config,
      "[default]\nregion = us-east-1\n[profile client-a]\nregion = eu-west-2\n",
    );
    await writeFile(credentials, "[client-b]\naws_access_key_id = AKIDOTHER\n");
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", config);
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", credentials);
    vi.stubEnv("AWS_PROFILE", "nope");

    const { code, err } = await cli(R);

    expect(code).toBe(1);
    expect(err).toBe(
      `lightsail-audit: AWS_PROFILE is "nope", but there is no such profile in ${config} or ${credentials} (profiles there: client-a, client-b, default)\n`,
    );
  });

  it("no credentials at all still says how to provide them", async () => {
    const home = await mkdtemp(join(tmpdir(), "aws-home-"));
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", join(home, "config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(home, "credentials"));

    const { code, err } = await cli(R);

    expect(code).toBe(1);
    expect(err).toMatch(/^lightsail-audit: No AWS credentials found\. Set AWS_PROFILE/);
  });
});

describe("responses the SDK cannot read", () => {
  const ssh = (table: string) =>
    table.split("\n").filter((l) => l.includes("lightsail-instance-ssh-not-public"));

  it("a body that does not parse is one readable line, without the SDK's hint", async () => {
    fake.faults.addFault({ service: "lightsail", operation: "GetInstances", kind: "malformed" });

    const { out } = await cli([...R, "--only", "lightsail-instance-ssh-not-public"]);

    expect(ssh(out)).toEqual([
      "ERROR   high      lightsail-instance-ssh-not-public  us-east-1/us-east-1  Could not list the Lightsail instances in us-east-1 (MalformedResponseError: AWS sent a response that could not be read: HTTP 200, a body that does not parse), so whether their SSH port is open to the internet is unknown. Audit incomplete for this region.",
    ]);
    expect(out).toContain(
      "  us-east-1 lightsail:GetInstances: MalformedResponseError: AWS sent a response that could not be read: HTTP 200, a body that does not parse",
    );
  });

  it("a response of the wrong shape (tags not a list) is one readable line, not a TypeError", async () => {
    const blog = fake.account.lightsail["us-east-1"]?.instances[0];
    if (!blog) throw new Error("the demo account has no instance in us-east-1");
    (blog as { tags: unknown }).tags = { key: "auto-patch" };

    const { out } = await cli([...R, "--only", "lightsail-instance-ssh-not-public"]);

    expect(out).not.toMatch(/TypeError|is not a function/);
    expect(out).toContain(
      "  us-east-1 lightsail:GetInstances: MalformedResponseError: AWS sent a response that is not in the shape its API documents",
    );
  });
});
