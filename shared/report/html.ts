/**
 * The report as one self-contained HTML file, for a person to look at (on a phone too) or hand to
 * a client: inline CSS and generated inline SVG, no request of any kind, readable with JavaScript
 * off (the one inline script only filters). A Content-Security-Policy meta tag allows nothing but
 * this file's own style and script, by hash: no remote load, no inline event handler, no other
 * script, even if an escape were missed. Every text not written here (account text above all, but
 * also the checks' prose with its `<instance-name>` placeholders) goes through `htmlText`.
 */
import { createHash } from "node:crypto";
import { CHECK_IDS } from "../checks/index";
import { type AuditReport, type CheckResult, SEVERITY_ORDER, type Severity } from "../model";
import type { CheckCell, OrgReport } from "../org/report";
import { remediationLines } from "./remediation";
import { checkText, compareText, patchingLines, regionsLine, sortResults } from "./summary";
import { resourceLabel } from "./table";
import { htmlText as h } from "./text";
import type { TrendPoint } from "./trend";

export interface HtmlOptions {
  /** Open findings by severity over the last runs, oldest first (this run included, if stored). */
  trend?: readonly TrendPoint[];
  /** Why there is no trend (the previous runs could not be read); shown instead of it. */
  trendError?: string;
  /** A check lists at most this many findings; the rest are counted (the JSON report has all). */
  maxFindingsPerCheck?: number;
}

/** Enough to act on, and keeps a 2,000-instance account's file within a couple of megabytes. */
const MAX_FINDINGS_PER_CHECK = 500;

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#4b5563;--line:#d0d7de;--card:#f6f8fa;--code:#eef1f4;
--critical:#a1001b;--high:#b93b0a;--medium:#8a5a00;--low:#1d4ed8;--info:#4b5563;--pass:#1a7f37;--error:#6e40c9}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9ca3af;--line:#30363d;--card:#161b22;--code:#1f2630;
--critical:#ff6b81;--high:#ff8a50;--medium:#f2c94c;--low:#79a8ff;--info:#a0aab8;--pass:#56d364;--error:#c297ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .75rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:0 0 .25rem}
.meta,.sub{color:var(--muted)}.meta{margin:.25rem 0}
.state{font-weight:600}.state.incomplete{color:var(--error)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr));gap:.5rem;margin:1rem 0;padding:0;list-style:none}
.tiles li{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem;background:var(--card)}
.tiles b{display:block;font-size:1.6rem;line-height:1.2}
.critical{--sev:var(--critical)}.high{--sev:var(--high)}.medium{--sev:var(--medium)}.low{--sev:var(--low)}.info{--sev:var(--info)}
.pass{--sev:var(--pass)}.error{--sev:var(--error)}
.tiles li,.check{border-left:.35rem solid var(--sev,var(--line))}
.tiles b{color:var(--sev,var(--fg))}
.badge{display:inline-block;border:1px solid var(--sev);color:var(--sev);border-radius:1rem;padding:0 .5rem;font-size:.8rem;font-weight:600;text-transform:uppercase;white-space:nowrap}
svg .critical{fill:var(--critical)}svg .high{fill:var(--high)}svg .medium{fill:var(--medium)}svg .low{fill:var(--low)}svg .info{fill:var(--info)}
svg line.critical,svg polyline.critical{stroke:var(--critical)}svg polyline.high{stroke:var(--high)}svg polyline.medium{stroke:var(--medium)}
svg polyline.low{stroke:var(--low)}svg polyline.info{stroke:var(--info)}
.trend svg polyline{fill:none;stroke-width:2}svg text{fill:var(--muted);font-size:11px}svg .grid{stroke:var(--line);stroke-width:1}
figure{margin:0}
.charts{display:grid;gap:1.5rem}
.bars{list-style:none;margin:0;padding:0}
.bars li{display:grid;grid-template-columns:minmax(0,1fr) auto;grid-template-areas:"l n" "b b";gap:0 .5rem;margin:.3rem 0;align-items:center}
.bars .label{grid-area:l;font-size:.9rem}.bars svg{grid-area:b;width:100%;height:.7rem;display:block}
.bars .n{grid-area:n;font-variant-numeric:tabular-nums;font-weight:600;text-align:right;min-width:2ch}
@media (min-width:48rem){.charts{grid-template-columns:3fr 2fr}
.bars li{grid-template-columns:minmax(0,1.2fr) minmax(0,1fr) auto;grid-template-areas:"l b n";margin:.15rem 0}}
.trend svg{width:100%;height:auto;max-height:16rem}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}
.legend li::before{content:"";display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;background:var(--sev);vertical-align:-.1rem}
.check{border:1px solid var(--line);border-left-width:.35rem;border-left-color:var(--sev);border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;background:var(--bg)}
.check header{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}
.findings{margin:.5rem 0;padding-left:1.25rem}.findings li{margin:.25rem 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem}
code{background:var(--code);padding:0 .2rem;border-radius:.2rem}
pre{background:var(--code);padding:.75rem;border-radius:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
pre code{background:none;padding:0}
.fix{border-top:1px dashed var(--line);margin-top:.5rem;padding-top:.25rem}.fix h4{margin:.5rem 0 .25rem;font-size:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
#filter{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem .75rem;border:1px solid var(--line);border-radius:.5rem;background:var(--card)}
#filter[hidden]{display:none}#filter fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
#filter legend{float:left;margin-right:.5rem;font-weight:600}
#filter input[type=search]{font:inherit;padding:.25rem .5rem;min-width:0;width:14rem;max-width:100%;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.3rem}
[hidden]{display:none!important}
.gridwrap{overflow-x:auto;max-width:100%}table.grid{width:auto}table.grid th[scope=row]{white-space:nowrap;font-weight:600}
table.grid td.cell{text-align:center;min-width:1.8rem;font-weight:700}td.cell:not(.ok){background:var(--sev);color:var(--bg)}
td.cell.ok{color:var(--muted)}.columns{font-size:.85rem;columns:16rem}
footer{margin:2rem 0 1rem;color:var(--muted);font-size:.85rem}
@media print{:root{--bg:#fff;--fg:#000;--card:#fff;--code:#f3f3f3}#filter{display:none}.check{break-inside:avoid-page}
body{font-size:11pt}main{max-width:none;padding:0}a{color:inherit}
details::details-content{content-visibility:visible;display:contents}details>summary{list-style:none}}
`.trim();

/**
 * Filters the findings by their own severity and by text, and sorts the checks; nothing else. Kept tiny and
 * static: the CSP names its hash, so no other script (injected or not) can run.
 */
const SCRIPT = `
(()=>{const f=document.getElementById("filter");if(!f)return;f.hidden=false;
const q=f.querySelector("input[type=search]"),boxes=[...f.querySelectorAll("input[type=checkbox]")],out=f.querySelector("output");
const checks=[...document.querySelectorAll("article.check")];
const apply=()=>{const t=q.value.trim().toLowerCase(),sev=new Set(boxes.filter(b=>b.checked).map(b=>b.value));let shown=0,all=0;
for(const c of checks){const head=c.querySelector("header").textContent.toLowerCase(),rows=[...c.querySelectorAll(".findings>li")];let n=0;
for(const r of rows){all++;const ok=sev.has(r.dataset.severity)&&(!t||head.includes(t)||r.textContent.toLowerCase().includes(t));r.hidden=!ok;if(ok)n++}
c.hidden=n===0;shown+=n}
out.value=shown+" of "+all+" findings shown"};
const sort=f.querySelector("select"),key={severity:c=>+c.dataset.order,count:c=>-c.dataset.count,id:c=>c.dataset.id};
sort.addEventListener("change",()=>{const k=key[sort.value]||key.severity;
for(const c of [...checks].sort((a,b)=>{const x=k(a),y=k(b);return x<y?-1:x>y?1:+a.dataset.order-+b.dataset.order}))c.parentNode.appendChild(c)});
q.addEventListener("input",apply);for(const b of boxes)b.addEventListener("change",apply);apply()})();
`.trim();

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

/**
 * Only this file's style and script, by hash; no source of any kind for anything else (fonts,
 * images, frames, connections, forms). `'unsafe-hashes'` is not given, so no inline event handler
 * or `style` attribute takes effect.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${sha256(CSS)}'`,
  `script-src 'sha256-${sha256(SCRIPT)}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** `2026-12-01 06:00 UTC` */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const severityRank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/**
 * Renders the report (schema 2) as one HTML document.
 *
 * @example
 * await writeFile("report.html", renderHtml(report, { trend: trendPoints(summaries) }));
 */
export function renderHtml(report: AuditReport, options: HtmlOptions = {}): string {
  const sorted = sortResults(report.results);
  const fails = sorted.filter((r) => r.status === "FAIL");
  const title = `Lightsail audit of account ${report.accountId}`;
  const body = [
    header(report),
    tiles(report),
    fails.length > 0 ? charts(fails) : "",
    options.trend && options.trend.length > 0
      ? trend(options.trend)
      : options.trendError
        ? `<section aria-labelledby="trend"><h2 id="trend">Trend</h2><p>No trend: ${h(options.trendError)}.</p></section>`
        : "",
    failing(report, fails, options.maxFindingsPerCheck ?? MAX_FINDINGS_PER_CHECK),
    notChecked(
      report,
      sorted.filter((r) => r.status === "ERROR"),
    ),
    muted(sorted.filter((r) => r.status === "MUTED")),
    actions(report),
    passed(
      report,
      sorted.filter((r) => r.status === "PASS"),
    ),
    `<footer>Made by lightsail-auditor from the JSON report (schema ${report.schemaVersion}) of the run started ${h(report.startedAt)}. This file loads nothing from anywhere.</footer>`,
  ].join("\n");
  return page(title, body);
}

/** The document around a body: the CSP, the stylesheet and the script, all inline. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function header(report: AuditReport): string {
  const { incomplete } = report.summary;
  const seconds = Math.max(
    0,
    (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000,
  );
  const why: string[] = [];
  if (report.failures.length > 0) {
    why.push(`${plural(report.failures.length, "collection failure")} (see Not checked)`);
  }
  const errors = report.summary.byStatus.ERROR;
  if (errors > 0) why.push(`${plural(errors, "result")} could not be judged (see Not checked)`);
  if (report.regions.skipped.length > 0) {
    why.push(`${plural(report.regions.skipped.length, "region")} skipped`);
  }
  const state = incomplete
    ? `<p class="state incomplete">Audit INCOMPLETE: ${h(why.join("; ") || "some data could not be read")}. What could not be read is not counted as passed.</p>`
    : `<p class="state">Audit complete${why.length > 0 ? ` (${h(why.join("; "))})` : ""}.</p>`;
  return `<header>
<h1>Lightsail audit of account <span translate="no">${h(report.accountId)}</span></h1>
<p class="meta">${h(utc(report.startedAt))} · took ${Number.isFinite(seconds) ? seconds.toFixed(0) : "?"} s · ${h(regionsLine(report))}</p>
${state}
</header>`;
}

function tiles(report: AuditReport): string {
  const { byStatus, failBySeverity } = report.summary;
  const tile = (cls: string, n: number, label: string) =>
    `<li class="${cls}"><b>${n}</b>${h(label)}</li>`;
  return `<section aria-labelledby="at-a-glance">
<h2 id="at-a-glance">At a glance</h2>
<p>${plural(byStatus.FAIL, "open finding")}, ${byStatus.PASS} passed, ${plural(byStatus.ERROR, "error")}${byStatus.MUTED > 0 ? `, ${byStatus.MUTED} muted` : ""}.</p>
<ul class="tiles">
${SEVERITY_ORDER.map((s) => tile(s, failBySeverity[s], s)).join("\n")}
${tile("pass", byStatus.PASS, "passed")}
${tile("error", byStatus.ERROR, "errors")}
</ul>
</section>`;
}

/** One horizontal bar, stacked by severity, as a small SVG (scales to its row). */
function bar(counts: Record<Severity, number>, max: number): string {
  let x = 0;
  const rects: string[] = [];
  for (const s of SEVERITY_ORDER) {
    if (counts[s] === 0) continue;
    const w = (counts[s] / max) * 100;
    rects.push(
      `<rect class="${s}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="10"/>`,
    );
    x += w;
  }
  const label = SEVERITY_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
  return `<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${label}">${rects.join("")}</svg>`;
}

function countBy(fails: readonly CheckResult[], key: (r: CheckResult) => string) {
  const groups = new Map<string, Record<Severity, number>>();
  for (const r of fails) {
    const k = key(r);
    const c =
      groups.get(k) ??
      (Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>);
    c[r.severity]++;
    groups.set(k, c);
  }
  const total = (c: Record<Severity, number>) => SEVERITY_ORDER.reduce((n, s) => n + c[s], 0);
  return [...groups].map(([k, c]) => ({ key: k, counts: c, total: total(c) }));
}

function barList(rows: { key: string; counts: Record<Severity, number>; total: number }[]) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  return `<ul class="bars">
${rows.map((r) => `<li><span class="label">${h(r.key)}</span>${bar(r.counts, max)}<span class="n">${r.total}</span></li>`).join("\n")}
</ul>`;
}

function legend(): string {
  return `<ul class="legend" aria-label="Colours">${SEVERITY_ORDER.map((s) => `<li class="${s}">${s}</li>`).join("")}</ul>`;
}

function charts(fails: readonly CheckResult[]): string {
  const byCheck = countBy(fails, (r) => r.checkId).sort(
    (a, b) => b.total - a.total || compareText(a.key, b.key),
  );
  const byRegion = countBy(fails, (r) => r.resource.region).sort(
    (a, b) => b.total - a.total || compareText(a.key, b.key),
  );
  return `<section aria-labelledby="charts">
<h2 id="charts">Open findings by check and by region</h2>
${legend()}
<div class="charts">
<figure><figcaption><h3>By check</h3></figcaption>${barList(byCheck)}</figure>
<figure><figcaption><h3>By region</h3></figcaption>${barList(byRegion)}</figure>
</div>
</section>`;
}

/** Open findings by severity over the runs, as lines (one per severity that ever had one). */
function trend(points: readonly TrendPoint[]): string {
  const W = 400;
  const H = 160;
  const left = 30;
  const bottom = 20;
  const top = 8;
  const right = 8;
  const max = Math.max(1, ...points.flatMap((p) => SEVERITY_ORDER.map((s) => p.failBySeverity[s])));
  const xOf = (i: number) =>
    left +
    (points.length === 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (points.length - 1));
  const yOf = (n: number) => top + (1 - n / max) * (H - top - bottom);
  const shown = SEVERITY_ORDER.filter((s) => points.some((p) => p.failBySeverity[s] > 0));
  const lines = shown.map(
    (s) =>
      `<polyline class="${s}" points="${points.map((p, i) => `${xOf(i).toFixed(1)},${yOf(p.failBySeverity[s]).toFixed(1)}`).join(" ")}"/>` +
      points
        .map(
          (p, i) =>
            `<circle class="${s}" cx="${xOf(i).toFixed(1)}" cy="${yOf(p.failBySeverity[s]).toFixed(1)}" r="2.5"/>`,
        )
        .join(""),
  );
  const first = points[0];
  const last = points[points.length - 1];
  // An incomplete run's counts miss what could not be read: a dashed line marks it.
  const incomplete = points
    .map((p, i) =>
      p.incomplete
        ? `<line class="grid" stroke-dasharray="3 3" x1="${xOf(i).toFixed(1)}" y1="${top}" x2="${xOf(i).toFixed(1)}" y2="${yOf(0)}"/>`
        : "",
    )
    .join("");
  const axis = [
    `<line class="grid" x1="${left}" y1="${yOf(0)}" x2="${W - right}" y2="${yOf(0)}"/>`,
    `<line class="grid" x1="${left}" y1="${yOf(max)}" x2="${W - right}" y2="${yOf(max)}"/>`,
    `<text x="${left - 4}" y="${yOf(0) + 4}" text-anchor="end">0</text>`,
    `<text x="${left - 4}" y="${yOf(max) + 4}" text-anchor="end">${max}</text>`,
    first ? `<text x="${left}" y="${H - 4}">${h(first.startedAt.slice(0, 10))}</text>` : "",
    last && points.length > 1
      ? `<text x="${W - right}" y="${H - 4}" text-anchor="end">${h(last.startedAt.slice(0, 10))}</text>`
      : "",
  ].join("");
  const total = (p: TrendPoint) => SEVERITY_ORDER.reduce((n, s) => n + p.failBySeverity[s], 0);
  const summary = `${plural(points.length, "run")}: ${first ? total(first) : 0} open findings on ${first ? utc(first.startedAt) : ""}, ${last ? total(last) : 0} on ${last ? utc(last.startedAt) : ""}`;
  const rows = [...points]
    .reverse()
    .map(
      (p) =>
        `<tr><td>${h(utc(p.startedAt))}${p.incomplete ? " (incomplete)" : ""}</td>${SEVERITY_ORDER.map((s) => `<td>${p.failBySeverity[s]}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="trend" class="trend">
<h2 id="trend">Trend: open findings over the last ${plural(points.length, "run")}</h2>
${legend()}
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${h(summary)}">${axis}${incomplete}${lines.join("")}</svg>
${points.some((p) => p.incomplete) ? `<p class="sub">A dashed line marks an incomplete audit: its counts miss what could not be read.</p>` : ""}
<details><summary>The numbers</summary>
<table><thead><tr><th scope="col">Run</th>${SEVERITY_ORDER.map((s) => `<th scope="col">${s}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody></table>
</details>
</section>`;
}

function filterForm(): string {
  // Hidden until the script shows it: without JavaScript there is nothing that does not work.
  return `<form id="filter" hidden role="search" aria-label="Filter the findings">
<label>Find <input type="search" placeholder="name, region, check…"></label>
<fieldset><legend>Severity</legend>
${SEVERITY_ORDER.map((s) => `<label><input type="checkbox" value="${s}" checked> ${s}</label>`).join("\n")}
</fieldset>
<label>Sort <select><option value="severity">most severe first</option><option value="count">most findings first</option><option value="id">by check id</option></select></label>
<output aria-live="polite"></output>
</form>`;
}

function failing(report: AuditReport, fails: readonly CheckResult[], max: number): string {
  if (fails.length === 0) {
    return `<section aria-labelledby="failing"><h2 id="failing">Failing checks</h2><p>No check failed.</p></section>`;
  }
  const groups = new Map<string, CheckResult[]>();
  for (const r of fails) groups.set(r.checkId, [...(groups.get(r.checkId) ?? []), r]);
  const ordered = [...groups].sort(
    ([a, ra], [b, rb]) =>
      severityRank(worst(ra)) - severityRank(worst(rb)) ||
      rb.length - ra.length ||
      compareText(a, b),
  );
  return `<section aria-labelledby="failing">
<h2 id="failing">Failing checks (${ordered.length})</h2>
${filterForm()}
${ordered.map(([id, results], i) => checkArticle(report, id, results, max, i)).join("\n")}
</section>`;
}

function worst(results: readonly CheckResult[]): Severity {
  return results.reduce<Severity>(
    (w, r) => (severityRank(r.severity) < severityRank(w) ? r.severity : w),
    "info",
  );
}

function checkArticle(
  report: AuditReport,
  id: string,
  results: readonly CheckResult[],
  max: number,
  order: number,
): string {
  const text = checkText(report, id);
  const severity = h(worst(results));
  const shown = results.slice(0, max);
  const { remediation: fix } = text;
  const more =
    results.length > shown.length
      ? `<p class="sub">…and ${results.length - shown.length} more (all are in the JSON report).</p>`
      : "";
  return `<article class="check ${severity}" data-severity="${severity}" data-order="${order}" data-count="${results.length}" data-id="${h(id)}" aria-labelledby="c-${h(id)}">
<header><h3 id="c-${h(id)}">${h(text.title)}</h3><span class="badge">${severity}</span><code>${h(id)}</code><span class="sub">${plural(results.length, "finding")}</span></header>
<p><strong>Why it matters:</strong> ${h(text.risk)}</p>
<ul class="findings">
${shown.map((r) => `<li data-severity="${h(r.severity)}"><strong>${h(resourceLabel(r))}</strong>: ${h(r.message)}</li>`).join("\n")}
</ul>
${more}<div class="fix">
<h4>How to fix</h4>
<p>${h(fix.summary)}</p>
${fix.steps.length > 0 ? `<ol>${fix.steps.map((s) => `<li>${h(s)}</li>`).join("")}</ol>` : ""}
${fix.console ? `<p><strong>In the console:</strong> ${h(fix.console)}</p>` : ""}
${fix.cli ? `<p><strong>With the AWS CLI:</strong></p><pre><code>${codeText(fix.cli)}</code></pre>` : ""}
${text.cis?.length ? `<p class="sub">Maps to ${h(text.cis.join(", "))}.</p>` : ""}
</div>
</article>`;
}

/** A command block: its own line breaks kept, everything else as `htmlText`. */
const codeText = (code: string) =>
  code
    .split(/\r\n|[\n\r]/)
    .map((line) => h(line))
    .join("\n");

function notChecked(report: AuditReport, errors: readonly CheckResult[]): string {
  const { failures } = report;
  const skipped = report.regions.skipped;
  if (errors.length === 0 && failures.length === 0 && skipped.length === 0) return "";
  const parts: string[] = [];
  if (errors.length > 0) {
    parts.push(`<h3>Checks that could not decide (${errors.length})</h3>
<p>These are ERROR, not PASS: the data they need was not read.</p>
<table><thead><tr><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Why</th></tr></thead><tbody>
${errors.map((r) => `<tr><td><code>${h(r.checkId)}</code></td><td>${h(resourceLabel(r))}</td><td>${h(r.message)}</td></tr>`).join("\n")}
</tbody></table>`);
  }
  if (failures.length > 0) {
    parts.push(`<h3>Collection failures (${failures.length})</h3>
<table><thead><tr><th scope="col">Region</th><th scope="col">Call</th><th scope="col">Error</th></tr></thead><tbody>
${failures.map((f) => `<tr><td>${h(f.region)}</td><td><code>${h(`${f.source}:${f.operation}`)}</code>${f.resource ? ` ${h(f.resource)}` : ""}</td><td>${h(`${f.errorName}: ${f.message}`)}</td></tr>`).join("\n")}
</tbody></table>`);
  }
  if (skipped.length > 0) {
    parts.push(`<h3>Regions skipped (${skipped.length})</h3>
<ul>${skipped.map((s) => `<li>${h(s.region)}: ${h(s.reason)}</li>`).join("")}</ul>`);
  }
  return `<section aria-labelledby="not-checked">
<h2 id="not-checked">Not checked</h2>
${parts.join("\n")}
</section>`;
}

function muted(results: readonly CheckResult[]): string {
  if (results.length === 0) return "";
  return `<section aria-labelledby="muted">
<h2 id="muted">Muted (${results.length})</h2>
<details><summary>${plural(results.length, "finding")} muted by a suppression</summary>
<ul>${results.map((r) => `<li><code>${h(r.checkId)}</code> ${h(resourceLabel(r))}: ${h(r.suppressedBy ? `${r.suppressedBy.reason} (until ${r.suppressedBy.expires})` : r.message)}</li>`).join("")}</ul>
</details>
</section>`;
}

/** Patching and the fixes, as the other renderers' lines. */
function actions(report: AuditReport): string {
  const blocks: string[] = [];
  const patching = patchingLines(report.patching, h);
  if (patching.length > 0) {
    blocks.push(
      `<h3>Patching</h3><p>${patching[0]}</p>${
        patching.length > 1
          ? `<ul>${patching
              .slice(1)
              .map((l) => `<li>${l.trim()}</li>`)
              .join("")}</ul>`
          : ""
      }`,
    );
  }
  if (report.remediation) {
    const [headline = "", ...lines] = remediationLines(
      report.remediation,
      Number.POSITIVE_INFINITY,
      {
        esc: h,
      },
    );
    blocks.push(
      `<h3>${headline}</h3><ul>${lines.map((l) => `<li>${l.replace(/^- /, "")}</li>`).join("")}</ul>`,
    );
  }
  if (blocks.length === 0) return "";
  return `<section aria-labelledby="actions">
<h2 id="actions">Patching and fixes</h2>
${blocks.join("\n")}
</section>`;
}

function passed(report: AuditReport, passes: readonly CheckResult[]): string {
  const counts = new Map<string, number>();
  for (const r of passes) counts.set(r.checkId, (counts.get(r.checkId) ?? 0) + 1);
  if (counts.size === 0) return "";
  const rows = [...counts]
    .sort(([a], [b]) => compareText(a, b))
    .map(
      ([id, n]) =>
        `<tr><td>${h(checkText(report, id).title)} <code>${h(id)}</code></td><td>${n}</td></tr>`,
    );
  return `<section aria-labelledby="passed">
<h2 id="passed">Passed</h2>
<details><summary>${plural(passes.length, "resource")} passed ${plural(counts.size, "check")}</summary>
<table><thead><tr><th scope="col">Check</th><th scope="col">Passed</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
</details>
</section>`;
}

const CELL_TEXT: Record<CheckCell, string> = {
  critical: "C",
  high: "H",
  medium: "M",
  low: "L",
  info: "I",
  error: "E",
  muted: "m",
};
const CELL_WORDS: Record<CheckCell, string> = {
  critical: "critical finding",
  high: "high finding",
  medium: "medium finding",
  low: "low finding",
  info: "info finding",
  error: "could not be checked",
  muted: "muted",
};

/**
 * The organization report (shared/org/report.ts) as one self-contained page: totals, an accounts
 * × checks grid coloured by each check's worst outcome in each account, the accounts not audited
 * and why, and each account's worst findings. Same CSP, stylesheet and script as renderHtml.
 */
export function renderOrgHtml(report: OrgReport): string {
  const { totals } = report;
  const who = report.organizationId ? `organization ${report.organizationId}` : "accounts";
  const used = new Set(report.accounts.flatMap((a) => Object.keys(a.checks ?? {})));
  const order = (id: string) => (CHECK_IDS.includes(id) ? CHECK_IDS.indexOf(id) : CHECK_IDS.length);
  const columns = [...used].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const tile = (cls: string, n: number, label: string) =>
    `<li class="${cls}"><b>${n}</b>${h(label)}</li>`;
  const incomplete = totals.incomplete > 0 || totals.notAudited > 0;
  const state = incomplete
    ? `<p class="state incomplete">Audit INCOMPLETE: ${h(
        [
          totals.notAudited > 0 ? `${plural(totals.notAudited, "account")} not audited` : "",
          totals.incomplete > 0 ? `${plural(totals.incomplete, "account")} audited in part` : "",
        ]
          .filter(Boolean)
          .join("; "),
      )}. What could not be read is not counted as passed.</p>`
    : `<p class="state">Every selected account was audited completely.</p>`;
  const grid =
    columns.length === 0
      ? "<p>No check failed or errored in any account.</p>"
      : `<div class="gridwrap" role="region" aria-labelledby="grid" tabindex="0">
<table class="grid">
<thead><tr><th scope="col">Account</th>${columns
          .map((id, i) => `<th scope="col"><abbr title="${h(id)}">${i + 1}</abbr></th>`)
          .join("")}</tr></thead>
<tbody>
${report.accounts
  .map((a) => {
    const cells = columns
      .map((id) => {
        const cell = a.checks?.[id];
        return cell
          ? `<td class="cell ${cell === "muted" ? "info" : cell}" title="${h(`${id}: ${CELL_WORDS[cell]}`)}">${CELL_TEXT[cell]}</td>`
          : `<td class="cell ok" title="${h(`${id}: passed or not applicable`)}">·</td>`;
      })
      .join("");
    return `<tr><th scope="row">${h(a.name ?? a.accountId)}<br><span class="sub">${h(a.accountId)}</span></th>${cells}</tr>`;
  })
  .join("\n")}
</tbody>
</table>
</div>
<p class="sub">C, H, M, L, I: the worst failing severity of that check in that account; E: could not be checked; m: muted; ·: passed or not applicable.</p>
<ol class="columns">${columns.map((id) => `<li><code>${h(id)}</code></li>`).join("")}</ol>`;
  const notAudited =
    report.notAudited.length === 0
      ? ""
      : `<section aria-labelledby="not-audited"><h2 id="not-audited">Accounts not audited (${report.notAudited.length})</h2>
<table><thead><tr><th scope="col">Account</th><th scope="col">Reason</th><th scope="col">Details</th></tr></thead><tbody>
${report.notAudited
  .map(
    (n) =>
      `<tr><td>${h(n.name ?? "")} ${h(n.accountId)}</td><td>${h(n.reason)}</td><td>${h(n.message)}</td></tr>`,
  )
  .join("\n")}
</tbody></table></section>`;
  const worstFindings = report.accounts
    .filter((a) => a.worst.length > 0)
    .map(
      (
        a,
      ) => `<details><summary>${h(a.name ?? a.accountId)} (${h(a.accountId)}): ${SEVERITY_ORDER.filter(
        (s) => a.failBySeverity[s] > 0,
      )
        .map((s) => `${a.failBySeverity[s]} ${s}`)
        .join(", ")}</summary>
<ul class="findings">${a.worst
        .map(
          (w) =>
            `<li data-severity="${h(w.severity)}"><span class="badge ${h(w.severity)}">${h(w.severity)}</span> <code>${h(w.checkId)}</code> <strong>${h(w.resource)}</strong>: ${h(w.message)}</li>`,
        )
        .join(
          "",
        )}</ul>${a.report ? `<p class="sub">Full report: <code>${h(a.report)}</code></p>` : ""}</details>`,
    )
    .join("\n");
  const body = [
    `<header>
<h1>Lightsail audit of ${h(who)}</h1>
<p class="meta">${h(utc(report.startedAt))} · ${totals.selected} accounts selected, ${totals.audited} audited · role ${h(report.roleName)}</p>
${state}
</header>`,
    `<section aria-labelledby="at-a-glance">
<h2 id="at-a-glance">At a glance</h2>
<p>${plural(totals.withFailures, "account")} with open findings, of ${totals.audited} audited.</p>
<ul class="tiles">
${SEVERITY_ORDER.map((s) => tile(s, totals.failBySeverity[s], s)).join("\n")}
${tile("error", totals.notAudited, "not audited")}
</ul>
</section>`,
    `<section aria-labelledby="grid"><h2 id="grid">Accounts × checks</h2>
${grid}
</section>`,
    notAudited,
    worstFindings
      ? `<section aria-labelledby="worst"><h2 id="worst">Worst findings per account</h2>
${worstFindings}
</section>`
      : "",
    `<footer>Made by lightsail-auditor from the organization report (schema ${report.schemaVersion}) of the run started ${h(report.startedAt)}. This file loads nothing from anywhere.</footer>`,
  ].join("\n");
  return page(`Lightsail audit of ${who}`, body);
}
