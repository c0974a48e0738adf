// genrelab's side of the benchmark: the same workloads and shapes as bench/reference.py.
// Usage: node dist/bench/workloads.js WORKLOAD --threads N --iterations K --warmup W  → one JSON line.
import { performance } from "node:perf_hooks";
import { MelSpectrogram } from "../src/audio/index.js";
import { Classifier, studyClassifier } from "../src/models/classifier.js";
import { generate } from "../src/models/generate.js";
import { Generator } from "../src/models/generator.js";
import {
  Adam,
  F,
  arange,
  manualSeed,
  noGrad,
  randint,
  randn,
  runtimeInfo,
  setNumThreads,
  tidy,
  type Tensor,
} from "../src/torch/index.js";

type Step = () => void;

function toneBatch(): [Tensor, Tensor] {
  return tidy(() => {
    const time = arange(0, 10_000).div(10_000).unsqueeze(0).add(arange(0, 29).unsqueeze(1));
    const wave = time
      .mul(2 * Math.PI * 220)
      .sin()
      .mul(0.3);
    return [wave.slice(1, 0, 9000).contiguous().keep(), wave.slice(1, 9000).contiguous().keep()];
  });
}

export function workload(name: string): Step {
  switch (name) {
    case "g-train": {
      const g = new Generator();
      const opt = new Adam(g.parameters(), { lr: 1e-3 });
      const [x, y] = toneBatch();
      return () =>
        tidy(() => {
          const loss = F.mseLoss(g.forward(x), y);
          opt.zeroGrad();
          loss.backward();
          F.clipGradNorm(g.parameters(), 1);
          opt.step();
        });
    }
    case "g-generate":
    case "g-generate-genres": {
      // One model, 10 clips in a batch; or the study's 10 per-genre models, one clip each.
      const models = Array.from({ length: name === "g-generate" ? 1 : 10 }, () => new Generator().eval());
      const seeds = tidy(() => randn([10, 9000]).mul(0.1).toTypedArray() as Float32Array);
      const rows = Array.from({ length: 10 }, (_, i) => seeds.subarray(i * 9000, (i + 1) * 9000));
      const o = { seconds: 5, sampleRate: 10_000, temperature: 1 };
      return () =>
        models.length === 1 ? void generate(models[0]!, rows, o) : models.forEach((g, i) => generate(g, [rows[i]!], o));
    }
    case "c-train":
    case "c-infer": {
      const c = new Classifier({ ...studyClassifier, inputShape: [128, 196] });
      const x = randn([32, 1, 128, 196]).keep();
      const labels = randint(0, 10, [32]).keep();
      if (name === "c-infer") {
        c.eval();
        return () => noGrad(() => tidy(() => void c.forward(x)));
      }
      const opt = new Adam(c.parameters(), { lr: 1e-4 });
      return () =>
        tidy(() => {
          const loss = F.crossEntropy(c.forward(x), labels);
          opt.zeroGrad();
          loss.backward();
          opt.step();
        });
    }
    case "features": {
      const mel = new MelSpectrogram();
      const audio = randn([12, 50_000]).mul(0.1).keep(); // 60 s as twelve 5 s windows
      return () => tidy(() => void mel.forward(audio));
    }
    default:
      throw new Error(`unknown workload ${name}`);
  }
}

export const WORKLOADS = ["g-train", "g-generate", "g-generate-genres", "c-train", "c-infer", "features"] as const;

function main(): void {
  const [name, ...rest] = process.argv.slice(2);
  const arg = (flag: string, fallback: number): number => {
    const i = rest.indexOf(flag);
    return i >= 0 ? Number(rest[i + 1]) : fallback;
  };
  setNumThreads(arg("--threads", 1));
  manualSeed(0);
  if (!name) throw new Error(`usage: workloads <${WORKLOADS.join("|")}> [--threads N] [--warmup N]`);
  const run = workload(name);
  for (let i = 0; i < arg("--warmup", 2); i++) run();
  const times: number[] = [];
  for (let i = 0; i < arg("--iterations", 10); i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const info = runtimeInfo();
  console.log(
    JSON.stringify({
      workload: name,
      threads: arg("--threads", 1),
      ms: median,
      all_ms: times,
      blas: info.blas.kind,
      allocator: info.allocator,
      max_rss_mb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

if (process.argv[1]?.endsWith("workloads.js")) main();
