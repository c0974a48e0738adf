// The inference worker thread: runs the dashboard's jobs (./jobs.ts) one at a time, so libtorch work
// and decoding never hold up the server's event loop.
import { parentPort } from "node:worker_threads";
import { releaseFreeMemory, setNumThreads } from "../torch/index.js";
import { classifyFile, generateServed, melPng, type GenerateRequest } from "./inference.js";

// One libtorch thread: on a 2-core machine the other core stays free for the event loop (with two,
// OpenMP's threads took both and a plain GET waited 450 ms under load).
setNumThreads(1);

export type Job =
  | { kind: "classify"; checkpoint: string; file: string; name: string }
  | { kind: "mel"; wav: string }
  | { kind: "generate"; request: GenerateRequest };

export type Reply = { id: number; value: unknown } | { id: number; error: { message: string; statusCode: number } };

async function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case "classify":
      return classifyFile(job.checkpoint, job.file, job.name);
    case "mel":
      return melPng(job.wav);
    case "generate":
      return generateServed(job.request);
  }
}

let chain: Promise<unknown> = Promise.resolve();
let queued = 0;
parentPort?.on("message", ({ id, job }: { id: number; job: Job }) => {
  queued++;
  chain = chain.then(async () => {
    let reply: Reply;
    try {
      reply = { id, value: await run(job) };
    } catch (err) {
      const e = err as Error & { statusCode?: number };
      reply = { id, error: { message: e.message ?? String(err), statusCode: e.statusCode ?? 500 } };
    }
    parentPort!.postMessage(reply);
    if (--queued === 0) releaseFreeMemory(); // idle: give a burst's memory back
  });
});
