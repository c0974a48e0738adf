// `genrelab selfcheck`: trains the study's two networks, at full size, for a few steps on synthetic
// signals and prints their falling losses and step times — an end-to-end check of the engine.
import { performance } from "node:perf_hooks";
import { Adam, F, arange, manualSeed, randint, randn, rand, setNumThreads, tidy, type Tensor } from "../torch/index.js";
import { Classifier } from "../models/classifier.js";
import { Generator } from "../models/generator.js";

export interface SelfcheckOptions {
  steps: number;
  seed: number;
  /** Which networks to train: both (default), only the generator, or only the classifier. */
  only?: "generator" | "classifier";
}

/** 29 one-second clips of a two-tone "song" at 10 kHz: 9000 samples in, the next 1000 out. */
function toneBatch(): [Tensor, Tensor] {
  return tidy(() => {
    const t = arange(0, 10_000).div(10_000).unsqueeze(0);
    const start = arange(0, 29).unsqueeze(1);
    const [f1, f2] = rand([2]).mul(400).add(100).split(1) as [Tensor, Tensor];
    const phase = t.add(start).mul(2 * Math.PI);
    const wave = phase.mul(f1).sin().mul(0.3).add(phase.mul(f2).sin().mul(0.2));
    return [wave.slice(1, 0, 9000), wave.slice(1, 9000, 10_000)];
  });
}

/** Random 128×128 "spectrograms" whose class is a bright horizontal band at a class-specific height. */
function bandBatch(batch: number): [Tensor, Tensor] {
  return tidy(() => {
    const labels = randint(0, 10, [batch]);
    const rows = arange(0, 128).div(12.8).floor().unsqueeze(0);
    const bands = rows.eq(labels.unsqueeze(1).to("float32")).to("float32").mul(2);
    const x = randn([batch, 1, 128, 128]).add(bands.view(batch, 1, 128, 1));
    return [x, labels];
  });
}

function run(name: string, steps: number, step: () => number): void {
  const times: number[] = [];
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    losses.push(step());
    times.push(performance.now() - t0);
    console.log(
      `  ${name} step ${String(i + 1).padStart(3)}  loss ${losses[i]!.toFixed(5)}  ${times[i]!.toFixed(0)} ms`,
    );
  }
  const median = [...times.slice(1)].sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)] ?? times[0]!;
  const ratio = losses[0]! / losses[losses.length - 1]!;
  console.log(
    `  ${name}: loss ${losses[0]!.toFixed(5)} → ${losses[losses.length - 1]!.toFixed(5)} (${ratio.toFixed(1)}× ` +
      `lower), median step ${median.toFixed(0)} ms`,
  );
  if (!(losses[losses.length - 1]! < losses[0]!)) throw new Error(`${name}: loss did not fall in ${steps} steps`);
}

export function selfcheck(o: SelfcheckOptions): void {
  manualSeed(o.seed);
  if (o.only !== "classifier") checkGenerator(o.steps);
  if (o.only !== "generator") checkClassifier(o.steps);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

function checkGenerator(steps: number): void {
  console.log(
    `generator (${new Generator().numParameters().toLocaleString("en")} parameters), batch 29 × 9000 → 1000, 1 thread`,
  );
  setNumThreads(1);
  const g = new Generator();
  const gOpt = new Adam(g.parameters(), { lr: 1e-3 });
  const [gx, gy] = toneBatch();
  gx.keep();
  gy.keep();
  run("G", steps, () =>
    tidy(() => {
      const loss = F.mseLoss(g.forward(gx), gy);
      gOpt.zeroGrad();
      loss.backward();
      F.clipGradNorm(g.parameters(), 1);
      gOpt.step();
      return loss.item();
    }),
  );
}

function checkClassifier(steps: number): void {
  console.log(
    `classifier (${new Classifier().numParameters().toLocaleString("en")} parameters), batch 32 × 128 × 128, 2 threads`,
  );
  setNumThreads(2);
  const c = new Classifier();
  // 10× the study's lr: a dozen steps must show learning.
  const cOpt = new Adam(c.parameters(), { lr: 1e-3 });
  const batches = Array.from({ length: 4 }, () => bandBatch(32).map((t) => t.keep()) as [Tensor, Tensor]);
  let k = 0;
  run("C", steps, () =>
    tidy(() => {
      const [x, y] = batches[k++ % batches.length]!;
      const loss = F.crossEntropy(c.forward(x), y);
      cOpt.zeroGrad();
      loss.backward();
      cOpt.step();
      return loss.item();
    }),
  );
}
