// The server's side of the inference worker (./worker.ts): a bounded queue of jobs. Past the bound a
// request is answered 429 with Retry-After instead of waiting without limit; a worker that dies is
// replaced and its jobs fail with a 500.
import { Worker } from "node:worker_threads";
import type { ClassifiedFile } from "../eval/classification.js";
import type { GeneratedClip } from "../pipeline/clips.js";
import type { GenerateRequest } from "./inference.js";
import type { Job, Reply } from "./worker.js";

export class JobError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface QueueLimits {
  /** Jobs waiting or running. */
  jobs: number;
  /** Bytes of the uploads waiting jobs hold (on disk). */
  bytes: number;
}

export class InferenceQueue {
  #worker: Worker | null = null;
  #pending = new Map<number, { done: (v: unknown) => void; fail: (e: Error) => void; bytes: number }>();
  #next = 1;
  #bytes = 0;

  constructor(readonly limits: QueueLimits = { jobs: 256, bytes: 512 * 2 ** 20 }) {}

  /** `file`: an upload of `bytes` on disk; `name`: the user's name for it. */
  classify(checkpoint: string, file: string, bytes: number, name: string): Promise<ClassifiedFile> {
    return this.#submit({ kind: "classify", checkpoint, file, name }, bytes) as Promise<ClassifiedFile>;
  }
  mel(wav: string): Promise<Uint8Array> {
    return this.#submit({ kind: "mel", wav }, 0) as Promise<Uint8Array>;
  }
  generate(request: GenerateRequest): Promise<GeneratedClip> {
    return this.#submit({ kind: "generate", request }, 0) as Promise<GeneratedClip>;
  }

  get waiting(): number {
    return this.#pending.size;
  }

  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #submit(job: Job, bytes: number): Promise<unknown> {
    if (this.#pending.size >= this.limits.jobs || this.#bytes + bytes > this.limits.bytes) {
      // A rough wait: about a second per queued job.
      return Promise.reject(
        new JobError(
          `busy: ${this.#pending.size} jobs queued; try again shortly`,
          429,
          Math.min(60, 1 + this.#pending.size),
        ),
      );
    }
    const id = this.#next++;
    this.#bytes += bytes;
    return new Promise((done, fail) => {
      this.#pending.set(id, { done, fail, bytes });
      this.#spawn().postMessage({ id, job });
    });
  }

  #spawn(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(new URL("./worker.js", import.meta.url));
    w.on("message", (r: Reply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#settle(r.id);
      if ("error" in r) p.fail(new JobError(r.error.message.split("\n")[0]!, r.error.statusCode));
      else p.done(r.value);
    });
    const lost = (why: string) => {
      if (this.#worker !== w) return;
      this.#worker = null;
      for (const [id, p] of this.#pending) {
        this.#settle(id);
        p.fail(new JobError(`the inference worker stopped (${why})`, 500));
      }
    };
    w.on("error", (err) => lost(err.message));
    w.on("exit", (code) => lost(`exit code ${code}`));
    w.unref(); // an idle worker does not keep the process alive
    return (this.#worker = w);
  }

  #settle(id: number): void {
    this.#bytes -= this.#pending.get(id)?.bytes ?? 0;
    this.#pending.delete(id);
  }
}
