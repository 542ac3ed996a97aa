/**
 * The CLI's `--output`: checked before the audit starts (a bad path fails in milliseconds, not
 * after the audit, patching and fixes), then written.
 * - A regular file, or a path that does not exist yet: written whole to a temp file beside it,
 *   then renamed over it, so a failed run never leaves half a report. A symlink is resolved
 *   first: its target is replaced, never the link.
 * - A FIFO or a character device (`/dev/stdout`, `/dev/null`, a pipe): written straight through.
 *   Renaming over one would turn the device into a regular file (as root) and print nothing.
 * - Anything else (a directory, a socket, a block device, a dangling symlink) is refused.
 */
import { constants, type Stats } from "node:fs";
import { access, lstat, realpath, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { AuditorError, ConfigError } from "./errors";

export type OutputTarget =
  /** Written atomically to `file` (the real path: a symlink resolved). */
  | { path: string; kind: "file"; file: string }
  /** Written straight through: a FIFO or a character device. */
  | { path: string; kind: "stream" };

/** "EACCES: permission denied" from a Node fs error, without the path it names. */
function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? (e.message.split(",")[0] ?? e.code) : String(e.message ?? err);
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

/**
 * Where and how the report will be written; throws a ConfigError naming `path` when it cannot be.
 *
 * @example
 * const target = await checkOutput("report.json"); // before the audit
 * await writeOutput(target, text);                  // after it
 */
export async function checkOutput(path: string): Promise<OutputTarget> {
  const refuse = (why: string, cause?: unknown) =>
    new ConfigError(`--output ${path}: ${why}`, { cause });
  let st: Stats | undefined;
  try {
    st = await stat(path); // follows symlinks: the type of what would be written
  } catch (err) {
    if (code(err) === "ENOTDIR") throw refuse("a part of the path is not a directory", err);
    if (code(err) !== "ENOENT") throw refuse(`cannot use it (${reason(err)})`, err);
  }
  if (st === undefined) {
    const dangling = await lstat(path).then(
      () => true,
      () => false,
    );
    if (dangling) throw refuse("is a symlink to a file that does not exist");
    await checkWritableDir(dirname(path), refuse);
    return { path, kind: "file", file: path };
  }
  if (st.isDirectory()) throw refuse("is a directory");
  if (st.isFIFO() || st.isCharacterDevice()) {
    await access(path, constants.W_OK).catch((err) => {
      throw refuse(`cannot write to it (${reason(err)})`, err);
    });
    return { path, kind: "stream" };
  }
  if (!st.isFile()) throw refuse("is not a regular file, a FIFO or a character device");
  const file = await realpath(path);
  await checkWritableDir(dirname(file), refuse);
  return { path, kind: "file", file };
}

async function checkWritableDir(dir: string, refuse: (why: string, cause?: unknown) => Error) {
  let st: Stats;
  try {
    st = await stat(dir);
  } catch (err) {
    throw code(err) === "ENOENT"
      ? refuse(`no such directory: ${dir}`, err)
      : refuse(`a part of the path is not a directory or cannot be read (${reason(err)})`, err);
  }
  if (!st.isDirectory()) throw refuse(`${dir} is not a directory`);
  // The temp file is created in this directory, then renamed over the report.
  await access(dir, constants.W_OK).catch((err) => {
    throw refuse(`cannot create files in ${dir} (${reason(err)})`, err);
  });
}

/** Writes `text` to a target from `checkOutput`; on failure removes its temp file and names `path`. */
export async function writeOutput(target: OutputTarget, text: string): Promise<void> {
  const fail = (err: unknown) =>
    new AuditorError(`--output ${target.path}: cannot write the report (${reason(err)})`, {
      cause: err,
    });
  if (target.kind === "stream") {
    await writeFile(target.path, text).catch((err) => {
      throw fail(err);
    });
    return;
  }
  const tmp = join(dirname(target.file), `.${basename(target.file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, { flag: "wx" });
    await rename(tmp, target.file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw fail(err);
  }
}
