/**
 * Benchmark (not a test): CPU time of lightsail-dns-no-dangling-records on one zone of `--records`
 * A records (none the account's, none in the ranges: the most work per record) against ranges the
 * size of ip-ranges.json's EC2 subset (`--ipv4`, `--ipv6` prefixes), with `process.cpuUsage`.
 *
 *   npx tsx bench/dns.ts [--records 200] [--ipv4 2500] [--ipv6 1000] [--runs 11]
 */
import { parseArgs } from "node:util";
import check from "../shared/checks/lightsail-dns-no-dangling-records";
import { context, instance, REGION, region, snapshot } from "../tests/helpers/snapshot";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "200" },
    ipv4: { type: "string", default: "2500" },
    ipv6: { type: "string", default: "1000" },
    runs: { type: "string", default: "11" },
  },
});
const count = (name: keyof typeof values) => Number(values[name]);
const ipv4 = Array.from(
  { length: count("ipv4") },
  (_, i) => `${3 + (i % 200)}.${(i * 7) % 256}.0.0/16`,
);
const ipv6 = Array.from({ length: count("ipv6") }, (_, i) => `2a05:${(i * 13).toString(16)}::/32`);
const records = Array.from({ length: count("records") }, (_, i) => ({
  name: `r${i}.example.com`,
  type: "A",
  target: `198.51.${i % 256}.1`,
}));
const snap = snapshot({
  lightsail: [region(REGION, { instances: [instance("wp")] })],
  domains: [
    { name: "example.com", arn: "arn:aws:lightsail:global:123456789012:Domain/x", records },
  ],
  awsIpRanges: { syncToken: "1", ipv4, ipv6 },
});

const times: number[] = [];
for (let run = 0; run < count("runs"); run++) {
  const start = process.cpuUsage();
  check.evaluate(snap, context());
  const used = process.cpuUsage(start);
  times.push((used.user + used.system) / 1000);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(
  `${records.length} records, ${ipv4.length} + ${ipv6.length} prefixes: median ${median.toFixed(1)} ms CPU (range ${times[0]?.toFixed(1)}–${times.at(-1)?.toFixed(1)})`,
);
