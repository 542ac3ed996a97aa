/** The report store over a mocked S3Client: the order of the writes, and AccessDenied. */
import "aws-sdk-client-mock-vitest/extend";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { summarize } from "../../../shared/audit";
import { createReportStore } from "../../../shared/aws/report-store";
import { ReportStoreError } from "../../../shared/errors";
import type { AuditReport } from "../../../shared/model";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1" });
const RUN = "20261201T060000Z-3fa9c2";
const DAY = `reports/${ACCOUNT_ID}/2026/12/01/${RUN}`;

const report: AuditReport = {
  schemaVersion: 2,
  accountId: ACCOUNT_ID,
  startedAt: "2026-12-01T06:00:00.000Z",
  finishedAt: "2026-12-01T06:00:09.000Z",
  regions: { audited: ["us-east-1"], skipped: [] },
  summary: summarize([], false),
  checks: {},
  results: [],
  failures: [],
  expiredSuppressions: [],
};

const accessDenied = () =>
  new S3ServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: "User is not authorized to perform: s3:PutObject",
  });

beforeEach(() => {
  s3.reset();
});

describe("createReportStore", () => {
  it("writes the run's report, Markdown and summary before latest.json", async () => {
    s3.on(PutObjectCommand).resolves({});

    await createReportStore({ bucket: "reports-bucket", client }).save({
      report,
      markdown: "# Audit\n",
      runId: RUN,
    });

    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `${DAY}.json`,
      `${DAY}.md`,
      `reports/${ACCOUNT_ID}/summaries/${RUN}.summary.json`,
      `reports/${ACCOUNT_ID}/latest.json`,
    ]);
    const md = s3.commandCalls(PutObjectCommand)[1]?.args[0].input;
    expect(md?.ContentType).toBe("text/markdown; charset=utf-8");
    // A body smaller than one upload part goes up as one PutObject.
    expect(Buffer.from(md?.Body as Uint8Array).toString("utf8")).toBe("# Audit\n");
  });

  it("leaves latest.json alone when the run's report cannot be written, naming bucket, key and AccessDenied", async () => {
    s3.on(PutObjectCommand).rejects(accessDenied());

    const saving = createReportStore({ bucket: "reports-bucket", client }).save({
      report,
      markdown: "",
      runId: RUN,
    });

    await expect(saving).rejects.toThrow(ReportStoreError);
    await expect(saving).rejects.toThrow(
      `Report not written to s3://reports-bucket/${DAY}.json: AccessDenied (User is not authorized to perform: s3:PutObject)`,
    );
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it("names latest.json when only it fails", async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(PutObjectCommand, { Key: `reports/${ACCOUNT_ID}/latest.json` }).rejects(accessDenied());

    const saving = createReportStore({ bucket: "reports-bucket", client }).save({
      report,
      markdown: "",
      runId: RUN,
    });

    await expect(saving).rejects.toMatchObject({
      bucket: "reports-bucket",
      key: `reports/${ACCOUNT_ID}/latest.json`,
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 4);
  });
});
