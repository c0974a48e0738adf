// `npm run experiment:generator`: trains and judges each generator recipe on the demo set with fixed
// seeds, through the real `genrelab run`, and prints the table of docs/GENERATOR.md. One classifier is
// trained first and judges every recipe, so the columns compare generators only.
// Usage: node dist/experiments/generator.js [--only a,b] [--jobs 2] [--out runs/experiments] [--reevaluate | --regenerate]
// (--reevaluate: judge finished recipes again, e.g. after a change to the evaluation; --regenerate: also
// write their clips again, e.g. after a change to generation; neither retrains)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GeneratedEvaluation } from "../src/eval/evaluate.js";
import { writeJsonAtomic } from "../src/util/fs.js";
import { flag, genrelab, judgeClips, judgeOf, root } from "./cli.js";
import { RECIPES, type Recipe } from "./recipes.js";
import { REFERENCES, tokenizedReal, writeReferenceClips } from "./references.js";

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => flag(a, name);
  const only = get("--only")?.split(",");
  for (const name of only ?? []) if (!RECIPES.some((r) => r.name === name)) throw new Error(`--only: no recipe named ${name}`);
  return { only, jobs: Number(get("--jobs") ?? 1), out: get("--out") ?? join(root, "runs", "experiments"), reevaluate: a.includes("--reevaluate") || a.includes("--regenerate"), regenerate: a.includes("--regenerate") };
}

const stageSeconds = (dir: string, match: (name: string) => boolean): number =>
  readdirSync(join(dir, "stages")).filter((f) => match(f.replace(/\.json$/, "")))
    .reduce((s, f) => s + (JSON.parse(readFileSync(join(dir, "stages", f), "utf8")) as { seconds: number }).seconds, 0);

export interface Row {
  recipe: string;
  fidelity: number;
  /** Genres whose fidelity is below 80 %. */
  weakGenres: string[];
  realFidelity: number | null;
  /** Worst second (1-5) of the median |generated − real| loudness in dB. */
  loudnessGapDb: number | null;
  /** Lowest and highest per-second flux ratio (generated / real). */
  fluxRatio: [number, number] | null;
  /** Mean over genres of the Fréchet distance to real test windows: generated, and the real continuations. */
  frechet: number | null;
  frechetReal: number | null;
  /** Mean over genres of the median best correlation with training audio: generated, and real held-out continuations. */
  copy: number | null;
  copyReal: number | null;
  /** Mean over genres of the median repetition score (the clip's end against its own past): generated, real. */
  repetition: number | null;
  repetitionReal: number | null;
  trainSeconds: number;
  generateSeconds: number;
}

const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

function rowOf(recipe: Recipe, dir: string): Row {
  const ev = JSON.parse(readFileSync(join(dir, "eval", "generated.json"), "utf8")) as GeneratedEvaluation;
  return rowOfEvaluation(recipe.name, ev, stageSeconds(dir, (s) => s.startsWith("generator-")), stageSeconds(dir, (s) => s === "generate"));
}

function rowOfEvaluation(name: string, ev: GeneratedEvaluation, trainSeconds: number, generateSeconds: number): Row {
  const c = ev.continuation;
  return {
    recipe: name,
    fidelity: ev.report.accuracy,
    weakGenres: ev.perGenre.filter((g) => g.fidelity < 0.8).map((g) => g.genre),
    realFidelity: ev.realReport?.accuracy ?? null,
    loudnessGapDb: c ? Math.max(...c.loudnessGapDb) : null,
    fluxRatio: c ? [Math.min(...c.fluxRatio), Math.max(...c.fluxRatio)] : null,
    frechet: mean(ev.perGenre.map((g) => g.frechet)),
    frechetReal: mean(ev.perGenre.map((g) => g.frechetReal)),
    copy: mean(ev.perGenre.map((g) => g.copyGenerated ?? null)),
    copyReal: mean(ev.perGenre.map((g) => g.copyReal ?? null)),
    repetition: mean(ev.perGenre.map((g) => g.repetitionGenerated ?? null)),
    repetitionReal: mean(ev.perGenre.map((g) => g.repetitionReal ?? null)),
    trainSeconds, generateSeconds,
  };
}

const f1 = (x: number | null) => (x === null ? "—" : x.toFixed(1));
const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(0)} %`);

export function table(rows: readonly Row[]): string {
  const head = "| recipe | fidelity | genres < 80 % | loudness gap dB (worst second) | flux ratio (min–max) | Fréchet: generated / real | copy score: generated / real | repetition: generated / real | train s | generate s |";
  const f2 = (x: number | null) => (x === null ? "—" : x.toFixed(2));
  return [head, "|---|---|---|---|---|---|---|---|---|---|", ...rows.map((r) =>
    `| ${r.recipe} | ${pct(r.fidelity)} | ${r.weakGenres.length} | ${f1(r.loudnessGapDb)} | ${r.fluxRatio ? `${r.fluxRatio[0].toFixed(2)}–${r.fluxRatio[1].toFixed(2)}` : "—"} | ${f1(r.frechet)} / ${f1(r.frechetReal)} | ${f2(r.copy)} / ${f2(r.copyReal)} | ${f2(r.repetition)} / ${f2(r.repetitionReal)} | ${r.trainSeconds.toFixed(0)} | ${r.generateSeconds.toFixed(1)} |`)].join("\n");
}

/** The no-model references (./references.ts), judged like the recipes; none without a recipe's clips. */
async function referenceRows(out: string, judge: string): Promise<Row[]> {
  const source = RECIPES.map((r) => join(out, r.name, "generated", "clips.json")).find(existsSync);
  const rows: Row[] = [];
  const tokens = tokenizedReal(join(out, "genrelab", "checkpoints", "generator-all.best"));
  for (const ref of source ? [...REFERENCES, ...(tokens ? [tokens] : [])] : []) {
    const dir = join(out, ref.slug);
    if (!(await writeReferenceClips(ref, source!, dir))) continue;
    rows.push(rowOfEvaluation(ref.name, await judgeClips(judge, dir), 0, 0));
  }
  return rows;
}

/** "10 genres × 5 s" with the default recipe's checkpoint, as `genrelab generate` reports it. */
async function generationSpeed(out: string): Promise<string | null> {
  const ckpt = join(out, "genrelab", "checkpoints", "generator-all.best");
  if (!existsSync(`${ckpt}.json`)) return null;
  const log = join(out, "speed.log");
  await genrelab(["generate", ckpt, "--seed-from", "demo", "--out", join(out, "speed"), "--count", "1", "--seconds", "5"], log);
  return /in ([\d.]+) s/.exec(readFileSync(log, "utf8"))?.[1] ?? null;
}

async function main(): Promise<void> {
  const a = args();
  mkdirSync(a.out, { recursive: true });
  const judge = join(a.out, "classifier");
  const judgeCkpt = judgeOf(a.out);
  if (!existsSync(`${judgeCkpt}.json`)) {
    console.log("training the judging classifier (the run's default settings) ...");
    await genrelab(["train-classifier", "--data", "demo", "--out", judge, "--quiet"], join(a.out, "classifier.log"));
  }
  const queue = RECIPES.filter((r) => !a.only || a.only.includes(r.name));
  const rows = new Map<string, Row>();
  const worker = async (): Promise<void> => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const dir = join(a.out, r.name);
      mkdirSync(join(dir, "checkpoints"), { recursive: true });
      for (const ext of ["json", "safetensors"]) copyFileSync(`${judgeCkpt}.${ext}`, join(dir, "checkpoints", `classifier.best.${ext}`));
      // The run skips a stage whose marker exists and whose outputs check out: the judge is reused.
      mkdirSync(join(dir, "stages"), { recursive: true });
      writeFileSync(join(dir, "stages", "classifier.json"), JSON.stringify({ stage: "classifier", seconds: 0, finishedAt: new Date().toISOString(), result: { judge: judgeCkpt } }));
      // config.json too: the run then records the recipe as it stands (finished stages are not redone).
      if (a.reevaluate) for (const f of [join(dir, "stages", "evaluate.json"), join(dir, "eval", "generated.json"), join(dir, "config.json")]) rmSync(f, { force: true });
      if (a.regenerate) for (const f of [join(dir, "stages", "generate.json"), join(dir, "generated")]) rmSync(f, { force: true, recursive: true });
      const config = join(a.out, `${r.name}.config.json`);
      writeFileSync(config, JSON.stringify(r.config, null, 2));
      const t0 = Date.now();
      console.log(`${r.name}: ${r.description}`);
      // --resume only once the run has a config.json: a fresh folder (the judge copied in) is not a run yet.
      const resume = existsSync(join(dir, "config.json")) ? ["--resume"] : [];
      await genrelab(["run", "--data", "demo", "--out", dir, "--config", config, ...resume, "--quiet"], join(a.out, `${r.name}.log`));
      const row = rowOf(r, dir);
      rows.set(r.name, row);
      console.log(`${r.name}: fidelity ${pct(row.fidelity)}, loudness gap ${f1(row.loudnessGapDb)} dB (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, a.jobs) }, worker));
  const references = await referenceRows(a.out, judgeCkpt);
  // Every finished recipe, also those of earlier invocations, in the table's order.
  const ordered = RECIPES.flatMap((r) => rows.get(r.name) ?? (existsSync(join(a.out, r.name, "eval", "generated.json")) ? [rowOf(r, join(a.out, r.name))] : []));
  ordered.push(...references);
  writeJsonAtomic(join(a.out, "results.json"), ordered);
  console.log(`\n${table(ordered)}`);
  const speed = await generationSpeed(a.out);
  if (speed) console.log(`\ngenrelab's default: 10 genres × 5 s (one clip each, one batch) in ${speed} s (genrelab generate, writing its 40 files)`);
}

await main();
