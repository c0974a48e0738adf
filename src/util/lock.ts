// One writer per folder: a lock file naming the holder's pid, created exclusively and removed at exit.
// A killed holder's lock is taken over (its pid is no longer running), so nothing needs cleaning by hand.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive, removeStaleTemps } from "./fs.js";

export const LOCK_FILE = ".genrelab.lock";

export interface LockInfo {
  pid: number;
  command: string;
  startedAt: string;
}

/** The lock of `dir` if a running process holds it, else null. */
export function lockHolder(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockInfo;
    return Number.isInteger(info.pid) && processAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * Takes `dir`'s lock for this process until it exits (throws one line naming the holder if taken),
 * then removes what killed writers left in it; returns how many such temporary files there were.
 */
export function lockFolder(dir: string, command: string): number {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: "wx" });
      process.once("exit", () => {
        if (lockHolder(dir)?.pid === process.pid) rmSync(path, { force: true });
      });
      return removeStaleTemps(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = lockHolder(dir);
    if (holder)
      throw new Error(
        `${dir} is in use by another genrelab (pid ${holder.pid}: ${holder.command}, since ${holder.startedAt}); ` +
          "wait for it or stop it",
      );
    rmSync(path, { force: true }); // a killed process's lock
  }
  throw new Error(`${dir}: could not take the folder's lock (${path})`);
}
