// `npm run experiment:tokens`: how much of the judge's genre a token representation keeps, with no
// language model: the real continuations of the experiment's seeds turned into tokens and rendered
// back, judged like the recipes. It bounds what a model sampling those tokens can reach.
// Usage: node dist/experiments/tokens-probe.js [--only a,b] [--out runs/experiments]
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadSplitSongs, Random, type Song } from "../src/data/index.js";
import type { TokenGeneratorConfig } from "../src/models/token-config.js";
import { nearest, TokenGenerator } from "../src/models/token-generator.js";
import { manualSeed, noGrad, setNumThreads, tensor, tidy, type Tensor } from "../src/torch/index.js";
import { fitTokens, kMeansOf, sampleFrames } from "../src/train/token-fit.js";
import { flag, judgeClips, judgeOf, root } from "./cli.js";
import { writeReferenceClips } from "./references.js";
import { resolveData } from "../src/cli/data.js";

/** The default's tokens, without a language model (its size does not matter here). */
const base: TokenGeneratorConfig = {
  kind: "tokens",
  inputSamples: 9000,
  nFft: 512,
  hopLength: 128,
  codebook: 2048,
  melBands: 128,
  hiddenSize: 8,
  numLayers: 1,
  genres: 10,
  griffinLimIterations: 32,
};
const fitting = { kmeansFrames: 100_000, kmeansIterations: 15, magnitude: "mean" } as const;

interface Probe {
  name: string;
  make: (songs: readonly Song[]) => (audio: Tensor, length: number) => Tensor;
}

/** Tokens as genrelab makes them, with some settings changed. */
const tokens = (name: string, config: Partial<TokenGeneratorConfig>): Probe => ({
  name,
  make: (songs) => {
    const model = new TokenGenerator({ ...base, ...config });
    fitTokens(model, songs, fitting, 0).forEach((t) => t.dispose());
    return (x, length) => model.decode(model.encode(x), length);
  },
});

/** Each frame's log-magnitude as the sum of one centroid per stage, each stage fitted to what the ones before left. */
const residual = (name: string, stages: number): Probe => ({
  name,
  make: (songs) => {
    const model = new TokenGenerator({ ...base, melBands: 0 });
    const rng = new Random(7);
    let left = sampleFrames(
      songs,
      (s) => model.frames(tensor(s.samples).unsqueeze(0)).squeeze(0),
      fitting.kmeansFrames,
      rng,
    );
    const books: Tensor[] = [];
    for (let k = 0; k < stages; k++) {
      const book = kMeansOf(left, base.codebook, fitting.kmeansIterations, rng).keep();
      books.push(book);
      left = left.sub(book.indexSelect(0, nearest(left, book)));
    }
    return (x, length) =>
      tidy(() => {
        let rest = model.frames(x);
        let sum = rest.mul(0);
        for (const book of books) {
          const q = book.indexSelect(0, nearest(rest, book).reshape(-1)).reshape(...rest.shape);
          sum = sum.add(q);
          rest = rest.sub(q);
        }
        return model.render(model.linear(sum).transpose(1, 2).contiguous(), length);
      });
  },
});

/** No tokens: the frames' own magnitudes, so only Griffin-Lim's phase is lost. */
const exact: Probe = {
  name: "exact magnitudes, Griffin-Lim 32",
  make: () => {
    const model = new TokenGenerator(base);
    return (x, length) => tidy(() => model.render(model.linear(model.frames(x)).transpose(1, 2).contiguous(), length));
  },
};

const PROBES: Probe[] = [
  exact,
  tokens("2048 tokens of log-magnitudes", { melBands: 0 }),
  tokens("4096 tokens of log-magnitudes", { melBands: 0, codebook: 4096 }),
  residual("2 × 2048 residual tokens of log-magnitudes", 2),
  tokens("2048 tokens of log-mel, 64 bands", { melBands: 64 }),
  tokens("2048 tokens of log-mel, 128 bands (default)", {}),
  // The default's tokens, then a second stage: k-means of what is left of each frame's log-magnitude.
  tokens("the default's tokens + 256 of what is left", { residualCodebook: 256 }),
  tokens("the default's tokens + 2048 of what is left", { residualCodebook: 2048 }),
];

async function main(): Promise<void> {
  const a = process.argv.slice(2);
  const get = (name: string) => flag(a, name);
  const only = get("--only")?.split(",");
  const out = get("--out") ?? join(root, "runs", "experiments");
  const clips = join(out, "tokens-mel", "generated", "clips.json");
  const judge = judgeOf(out);
  if (!existsSync(clips) || !existsSync(`${judge}.json`))
    throw new Error(`no ${clips}: run npm run experiment:generator -- --only genrelab first`);
  setNumThreads(2);
  const { songs } = await loadSplitSongs(resolveData("demo", true), { split: "seed", seed: 0 });
  for (const p of PROBES.filter((p) => !only || only.some((o) => p.name.includes(o)))) {
    const render = noGrad(() => p.make(songs.train));
    manualSeed(0);
    const slug = p.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    const dir = join(out, "probes", slug);
    await writeReferenceClips(
      {
        name: p.name,
        slug,
        render: (_c, _s, real, length) =>
          real.length < length
            ? null
            : noGrad(() =>
                tidy(
                  () => render(tensor(real.subarray(0, length)).unsqueeze(0), length).toTypedArray() as Float32Array,
                ),
              ),
      },
      clips,
      dir,
    );
    const ev = await judgeClips(judge, dir);
    const weak = ev.perGenre
      .filter((g) => g.fidelity < 0.8)
      .map((g) => `${g.genre} ${(100 * g.fidelity).toFixed(0)} %`);
    console.log(`| ${p.name} | ${(100 * ev.report.accuracy).toFixed(0)} % | ${weak.join(", ") || "none"} |`);
  }
}

await main();
