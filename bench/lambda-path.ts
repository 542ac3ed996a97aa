/**
 * Benchmark (not a test): the audit Lambda's whole path on synthetic accounts: audit, report to
 * S3, alert (every FAIL new on the first run), finding state in DynamoDB; then a second, unchanged
 * run. The account and SNS are served by the local fake (no latency), S3 and DynamoDB by moto.
 *
 *   npx tsx bench/lambda-path.ts [--sizes 2000,10000,50000]
 *
 * Each run is a fresh process of the esbuild bundle of bench/run-lambda.ts, with the V8 heap cap
 * the function has (`--max-old-space-size` in serverless.yml's NODE_OPTIONS). Reports CPU seconds of that process
 * (user + system), peak RSS, the stored report's bytes, the summary's bytes, and the state items
 * written per run.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs, promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { syntheticAccount } from "../tests/fake-aws/accounts/synthetic";
import { startFakeAws } from "../tests/fake-aws/server";
import { startMoto } from "../tests/helpers/moto";
import { createStateTable } from "../tests/helpers/state-table";
import { bundle, fakeEnv } from "./lib";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "2000,10000,50000" },
  },
});
const heap = /--max-old-space-size=(\d+)/.exec(
  readFileSync(new URL("../serverless.yml", import.meta.url), "utf8"),
)?.[1];
if (!heap) throw new Error("serverless.yml sets no --max-old-space-size in NODE_OPTIONS");
const run = promisify(execFile);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const BUCKET = "bench-reports";

const runner = await bundle("./run-lambda.ts");

interface RunOut {
  cpuS: number;
  peakRssMb: number;
  summaryBytes: number;
  results: number;
  fails: number;
  report: string;
  alert: { stateWrites?: number; new: number; sent: boolean };
}

const moto = await startMoto();
const s3 = new S3Client({
  region: "us-east-1",
  endpoint: moto.url,
  credentials: { accessKeyId: "t", secretAccessKey: "t" },
});
const ddb = new DynamoDBClient({
  region: "us-east-1",
  endpoint: moto.url,
  credentials: { accessKeyId: "t", secretAccessKey: "t" },
});
await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

console.log(
  "| instances | run | CPU | peak RSS | report bytes | per instance | summary bytes | results | state writes |",
);
console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
try {
  for (const n of values.sizes.split(",").map(Number)) {
    const account = syntheticAccount({
      instances: n,
      loadBalancers: Math.max(1, n / 50),
      now: new Date(),
    });
    const fake = await startFakeAws({ account });
    const table = `bench-state-${n}`;
    await createStateTable(ddb, table);
    const env = {
      ...process.env,
      ...fakeEnv(fake.url),
      AWS_ENDPOINT_URL_S3: moto.url,
      AWS_ENDPOINT_URL_DYNAMODB: moto.url,
      AWS_MAX_ATTEMPTS: "3",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      REPORT_BUCKET: BUCKET,
      STATE_TABLE: table,
      TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bench-alerts",
    };
    try {
      for (const label of ["first", "unchanged"]) {
        const ran = await run(process.execPath, [`--max-old-space-size=${heap}`, runner], {
          env,
          maxBuffer: 1 << 24,
        }).catch((err: { stderr?: string }) => err);
        if (!("stdout" in ran) || !ran.stdout) {
          const why = String(ran.stderr ?? "")
            .split("\n")
            .find((l) => /Error|FATAL/.test(l));
          console.log(
            `| ${n.toLocaleString("en")} | ${label} | failed: ${why ?? "no output"} |||||||`,
          );
          continue;
        }
        // The last line: the handler's EMF metric line comes before it.
        const out = JSON.parse(ran.stdout.trim().split("\n").pop() ?? "{}") as RunOut;
        const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: out.report }));
        const bytes = head.ContentLength ?? 0;
        console.log(
          `| ${n.toLocaleString("en")} | ${label} | ${out.cpuS.toFixed(2)} s | ${out.peakRssMb.toFixed(0)} MB | ${bytes.toLocaleString("en")} | ${Math.round(bytes / n).toLocaleString("en")} | ${out.summaryBytes.toLocaleString("en")} | ${out.results.toLocaleString("en")} | ${out.alert.stateWrites ?? "?"} |`,
        );
      }
    } finally {
      await fake.close();
    }
  }
} finally {
  await moto.stop();
}
