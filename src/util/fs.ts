import {
  type Dirent,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, basename, join } from "node:path";

/** Whether `p` is a folder (following links); false when it is missing or cannot be read. */
export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether a file can be made in folder `dir`, found by making one (a read-only file system refuses even
 * root, whom permission bits do not stop).
 */
export function canWrite(dir: string): boolean {
  const probe = join(dir, `.genrelab-probe.${process.pid}.${Date.now()}`);
  try {
    closeSync(openSync(probe, "wx"));
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file so that readers see either the old content or the new, never a half-written file:
 * the data goes to a temporary file in the same folder, is flushed, then renamed over the target.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const parts = typeof data === "string" ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    for (const part of parts) {
      let off = 0;
      while (off < part.length) off += writeSync(fd, part, off, part.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** `value` as indented JSON with a final newline, written atomically. */
export const writeJsonAtomic = (path: string, value: unknown): void =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);

/** Whether process `pid` is running (on this machine). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, but another user's
  }
}

const TEMP = /^\..+\.(\d+)\.\d+\.tmp$/;

/** Whether `name` is a temporary file of `writeFileAtomic`. */
export const isAtomicTemp = (name: string): boolean => TEMP.test(name);

/**
 * Removes, under `dir`, the temporary files of `writeFileAtomic` calls whose process was killed
 * before the rename (a live process's are left alone). Returns how many were removed.
 */
export function removeStaleTemps(dir: string): number {
  let removed = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) removed += removeStaleTemps(path);
    const m = TEMP.exec(e.name);
    if (e.isFile() && m && !processAlive(Number(m[1]))) {
      rmSync(path, { force: true });
      removed++;
    }
  }
  return removed;
}
