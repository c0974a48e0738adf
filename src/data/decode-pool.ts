// Decoding many files on several processes, one per core by default: each process decodes and
// resamples files into the on-disk cache and answers with the entry's hash; the caller reads the
// entries. Processes rather than worker threads, because resampling runs on libtorch, whose addon
// holds process-wide state. Each file is one job, so a stopped run resumes from the cache.
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";

export type Decoded = { hash: string } | { error: string };

export interface PoolOptions {
  cacheDir: string;
  sampleRate: number;
  /** Processes (default: one per core). */
  jobs?: number;
  onDone?: (i: number, r: Decoded) => void;
}

export const defaultJobs = (): number => availableParallelism();

const worker = new URL("./decode-worker.js", import.meta.url);

/** Decodes `paths` into the cache; result i is path i's hash or its problem. */
export function decodeInPool(paths: readonly string[], o: PoolOptions): Promise<Decoded[]> {
  const results: Decoded[] = new Array(paths.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve) => {
    if (!paths.length) return resolve(results);
    const finish = (i: number, r: Decoded) => {
      results[i] = r;
      done++;
      o.onDone?.(i, r);
      if (done === paths.length) resolve(results);
    };
    const start = (): void => {
      const child: ChildProcess = fork(worker, [o.cacheDir, String(o.sampleRate)], {
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      let current = -1;
      const feed = () => {
        if (next >= paths.length) return child.disconnect();
        current = next++;
        child.send({ i: current, path: paths[current] });
      };
      child.on("message", (m: { i: number } & Decoded) => {
        finish(m.i, "hash" in m ? { hash: m.hash } : { error: m.error });
        current = -1;
        feed();
      });
      // A decoder that dies (out of memory on a hostile file, a crash) fails its file, not the run.
      child.on("exit", (code, signal) => {
        if (current < 0) return;
        finish(current, { error: `the decoding process died (${signal ?? `exit code ${code}`})` });
        current = -1;
        if (next < paths.length) start();
      });
      feed();
    };
    for (let k = 0; k < Math.min(o.jobs ?? defaultJobs(), paths.length); k++) start();
  });
}
