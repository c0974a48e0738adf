// `npm run experiment:sampling -- <checkpoint>`: how a trained token model's clips change with the way
// they are drawn and rendered — temperature, nucleus (top-p) sampling, Griffin-Lim iterations — with
// the seeds, the judge and the measures of the generator experiment (docs/GENERATOR.md, item 11).
// Generation only: nothing is retrained. Writes <out>/<setting>/ and prints one row per setting.
// Usage: node dist/experiments/sampling.js <checkpoint> [--out runs/experiments/sampling] [--only "T 1|T 1.3"]
// [--per-genre 10] (more clips a genre narrow the noise: 30 → ±3 points instead of ±5)
// [--seeds valid] (seeds from the validation songs, to choose a setting without looking at the test songs)
// [--judge <classifier checkpoint>] (default: the generator experiment's judge)
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadSplitSongs } from "../src/cli/songs.js";
import { GENRES } from "../src/data/index.js";
import { TokenGenerator } from "../src/models/token-generator.js";
import { fromCheckpoint, generateClips } from "../src/pipeline/clips.js";
import { setNumThreads } from "../src/torch/index.js";
import { loadGenerator } from "../src/models/load.js";
import { flag, judgeClips, judgeOf, root } from "./cli.js";

const SETTINGS = [
  { name: "T 1", temperature: 1, topP: 1, griffinLim: 32 },
  { name: "T 0.8", temperature: 0.8, topP: 1, griffinLim: 32 },
  { name: "T 1.15 (default)", temperature: 1.15, topP: 1, griffinLim: 32 },
  { name: "T 1.3", temperature: 1.3, topP: 1, griffinLim: 32 },
  { name: "T 1.05, Griffin-Lim 16", temperature: 1.05, topP: 1, griffinLim: 16 },
  { name: "T 1.25, Griffin-Lim 16", temperature: 1.25, topP: 1, griffinLim: 16 },
  { name: "T 1, top-p 0.95", temperature: 1, topP: 0.95, griffinLim: 32 },
  { name: "T 1, top-p 0.9", temperature: 1, topP: 0.9, griffinLim: 32 },
  { name: "T 1, Griffin-Lim 16", temperature: 1, topP: 1, griffinLim: 16 },
  { name: "T 1.15, Griffin-Lim 16", temperature: 1.15, topP: 1, griffinLim: 16 },
  { name: "T 1.15, Griffin-Lim 24", temperature: 1.15, topP: 1, griffinLim: 24 },
  // Classifier-free guidance (a model trained with tokens.genreDropout > 0).
  ...[1, 1.5, 2, 3].map((g) => ({
    name: `T 1.15, guidance ${g}`,
    temperature: 1.15,
    topP: 1,
    griffinLim: 16,
    guidance: g,
  })),
  ...[1.5, 2].map((g) => ({ name: `T 1, guidance ${g}`, temperature: 1, topP: 1, griffinLim: 16, guidance: g })),
  // Beat guidance (a model with the beat clock): the clock against one half a beat late.
  ...[1.5, 2].map((b) => ({
    name: `T 1.05, beat guidance ${b}`,
    temperature: 1.05,
    topP: 1,
    griffinLim: 16,
    beatGuidance: b,
  })),
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const checkpoint = argv[0];
  if (!checkpoint) throw new Error("usage: sampling.js <token model checkpoint> [--out dir]");
  const get = (name: string) => flag(argv, name);
  const out = get("--out") ?? join(root, "runs", "experiments", "sampling");
  const perGenre = Number(get("--per-genre") ?? 10);
  const only = get("--only")?.split("|");
  for (const name of only ?? [])
    if (!SETTINGS.some((s) => s.name.startsWith(name))) throw new Error(`--only: no setting named ${name}`);
  const judge = get("--judge") ?? judgeOf(join(root, "runs", "experiments"));
  const { model, meta } = loadGenerator(checkpoint);
  if (!(model instanceof TokenGenerator)) throw new Error(`${checkpoint}: not a token model`);
  setNumThreads(2);
  const data = await loadSplitSongs({ data: "demo", split: "seed", seed: 0, quiet: true });
  const side = get("--seeds") ?? "test";
  if (side !== "test" && side !== "valid") throw new Error("--seeds: test or valid");
  const seedSongs = new Map(GENRES.map((g) => [g, data.songs[side].filter((s) => s.track.genre === g)] as const));
  console.log(
    "| setting | fidelity | loudness gap dB (worst second) | flux ratio (min–max) | pulse: generated / real | genres " +
      "< 80 % |\n|---|---|---|---|---|---|",
  );
  for (const s of SETTINGS.filter((s) => !only || only.some((o) => s.name.startsWith(o)))) {
    const guidance = "guidance" in s ? s.guidance : model.config.guidance;
    const beatGuidance = "beatGuidance" in s ? s.beatGuidance : model.config.beatGuidance;
    const variant = model.withSampling({ topP: s.topP, griffinLimIterations: s.griffinLim, guidance, beatGuidance });
    variant.eval();
    const dir = join(
      out,
      s.name.replace(/[^a-z0-9.]+/gi, "-") +
        (perGenre === 10 ? "" : `-x${perGenre}`) +
        (side === "test" ? "" : `-${side}`),
    );
    mkdirSync(dir, { recursive: true });
    // The run's generation settings: clips of 5 s, seed 0 (and 10 a genre unless told).
    generateClips(
      {
        ...fromCheckpoint(variant, meta, checkpoint),
        seedSongs,
        perGenre,
        seconds: 5,
        temperature: s.temperature,
        seed: 0,
      },
      dir,
    );
    const ev = await judgeClips(judge, dir);
    const c = ev.continuation;
    const gap = c ? Math.max(...c.loudnessGapDb).toFixed(1) : "—";
    const flux = c ? `${Math.min(...c.fluxRatio).toFixed(2)}–${Math.max(...c.fluxRatio).toFixed(2)}` : "—";
    const pulse =
      c?.generatedPulse !== undefined ? `${c.generatedPulse.toFixed(2)} / ${(c.realPulse ?? 0).toFixed(2)}` : "—";
    const weak = ev.perGenre
      .filter((g) => g.fidelity < 0.8)
      .map((g) => `${g.genre} ${(100 * g.fidelity).toFixed(0)} %`)
      .join(", ");
    console.log(
      `| ${s.name} | ${(100 * ev.report.accuracy).toFixed(0)} % | ${gap} | ${flux} | ${pulse} | ${weak || "none"} |`,
    );
  }
}

await main();
