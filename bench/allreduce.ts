// `npm run bench:allreduce`: what data-parallel training pays per step to average gradients on this
// machine: two ranks on loopback (c10d Gloo, src/torch/dist.ts) allreduce tensors shaped as the
// gradients of genrelab's classifier (its default settings) and of its token generator
// (the default recipe), in 4 MB buckets. Prints ms per step and MB/s of gradient averaged.
// Usage: node dist/bench/allreduce.js [--steps N]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../src/util/net.js";
import { Classifier } from "../src/models/classifier.js";
import { TokenGenerator } from "../src/models/token-generator.js";
import { ProcessGroup, setNumThreads, zeros, type Tensor } from "../src/torch/index.js";
import { modelConfigOf } from "../src/train/generator.js";
import { parseGeneratorConfig } from "../src/train/generator-config.js";
import { melSettingsOf } from "../src/train/classifier.js";
import { parseClassifierConfig } from "../src/train/classifier-config.js";
import { MelSpectrogram, WORK_RATE } from "../src/audio/index.js";
import { GENRES } from "../src/data/index.js";

const args = process.argv.slice(2);
const get = (flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const steps = Number(get("--steps") ?? 20);

/** Gradient-shaped tensors of the two networks genrelab trains. */
function gradients(): Record<string, Tensor[]> {
  const c = parseClassifierConfig({}, "bench");
  const mel = new MelSpectrogram(melSettingsOf(c));
  const inputShape: [number, number] = [mel.settings.nMels, mel.frames(Math.round(c.windowSeconds * WORK_RATE))];
  const classifier = new Classifier({
    inputShape,
    channels: c.model.channels,
    numClasses: GENRES.length,
    dropout: c.model.dropout,
    head: c.model.head,
  });
  const generator = new TokenGenerator(
    modelConfigOf(parseGeneratorConfig({}, "bench"), GENRES.length) as ConstructorParameters<typeof TokenGenerator>[0],
  );
  const like = (m: { parameters(): Tensor[] }) => m.parameters().map((p) => zeros(p.shape).keep());
  return { classifier: like(classifier), "token generator": like(generator) };
}

async function rank(port: number, r: number): Promise<void> {
  setNumThreads(1);
  const pg = new ProcessGroup({ host: "127.0.0.1", bind: "127.0.0.1", port, worldSize: 2, rank: r, timeoutMs: 60_000 });
  for (const [name, grads] of Object.entries(gradients())) {
    const bytes = grads.reduce((n, g) => n + 4 * g.numel, 0);
    pg.allReduce(grads, "avg"); // warm-up: connections, buffers
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) pg.allReduce(grads, "avg");
    const ms = (performance.now() - t0) / steps;
    if (r === 0)
      console.log(
        `| ${name} | ${(bytes / 2 ** 20).toFixed(1)} MB | ${ms.toFixed(1)} ms | ` +
          `${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0)} MB/s |`,
      );
  }
  pg.destroy();
}

if (get("--rank") !== undefined) {
  await rank(Number(get("--port")), Number(get("--rank")));
} else {
  const port = await freePort();
  console.log(`| gradients of | size | allreduce (average, 2 ranks on loopback) per step | rate |\n|---|---|---|---|`);
  const self = fileURLToPath(import.meta.url);
  const ranks = [0, 1].map((r) =>
    spawn(process.execPath, [self, "--rank", String(r), "--port", String(port), "--steps", String(steps)], {
      stdio: ["ignore", "inherit", "inherit"],
    }),
  );
  const codes = await Promise.all(ranks.map((p) => new Promise<number>((ok) => p.on("exit", (c) => ok(c ?? 1)))));
  process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
}
