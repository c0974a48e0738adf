// `npm run experiment:generator`: trains and judges each generator recipe on the demo set with fixed
// seeds, through the real `genrelab run`, and prints the table of docs/GENERATOR.md. One classifier is
// trained first and judges every recipe, so the columns compare generators only.
// Usage: node dist/experiments/generator.js [--only a,b] [--jobs 2] [--out runs/experiments]
//        [--reevaluate | --regenerate]
//   [--seeds 0,1,2] [--per-genre 30]
// (--reevaluate: judge finished recipes again, e.g. after a change to the evaluation; --regenerate: also
// write their clips again, e.g. after a change to generation; neither retrains; --seeds: train each recipe
// once per generator seed, as <recipe>-seed<N>, and print every recipe's mean ± sd over its runs; --per-genre:
// clips a genre, as <recipe>-x<N> when not 10 — 30 narrow the noise of the fidelity to ±3 points)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GeneratedEvaluation } from "../src/eval/evaluate.js";
import { writeJsonAtomic } from "../src/util/fs.js";
import { flag, genrelab, judgeClips, judgeOf, root } from "./cli.js";
import { RECIPES, baseOf, type Recipe, variant } from "./recipes.js";
import { REFERENCES, tokenizedReal, writeReferenceClips } from "./references.js";

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => flag(a, name);
  const only = get("--only")?.split(",");
  for (const name of only ?? [])
    if (!RECIPES.some((r) => r.name === name)) throw new Error(`--only: no recipe named ${name}`);
  const seeds = (get("--seeds") ?? "0").split(",").map(Number);
  if (seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error("--seeds: whole numbers ≥ 0, e.g. 0,1,2");
  const perGenre = Number(get("--per-genre") ?? 10);
  if (!Number.isInteger(perGenre) || perGenre < 1) throw new Error("--per-genre: a whole number ≥ 1");
  return {
    only,
    seeds,
    perGenre,
    jobs: Number(get("--jobs") ?? 1),
    out: get("--out") ?? join(root, "runs", "experiments"),
    reevaluate: a.includes("--reevaluate") || a.includes("--regenerate"),
    regenerate: a.includes("--regenerate"),
  };
}

const stageSeconds = (dir: string, match: (name: string) => boolean): number =>
  readdirSync(join(dir, "stages"))
    .filter((f) => match(f.replace(/\.json$/, "")))
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
  /** Median pulse clarity of the clips and of the real continuations (absent in rows measured before it). */
  pulse?: number | null;
  pulseReal?: number | null;
  /** Mean over genres of the Fréchet distance to real test windows: generated, and the real continuations. */
  frechet: number | null;
  frechetReal: number | null;
  /**
   * Mean over genres of the median best correlation with training audio: generated, and real held-out
   * continuations.
   */
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
  return rowOfEvaluation(
    recipe.name,
    ev,
    stageSeconds(dir, (s) => s.startsWith("generator-")),
    stageSeconds(dir, (s) => s === "generate"),
  );
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
    pulse: c?.generatedPulse ?? null,
    pulseReal: c?.realPulse ?? null,
    frechet: mean(ev.perGenre.map((g) => g.frechet)),
    frechetReal: mean(ev.perGenre.map((g) => g.frechetReal)),
    copy: mean(ev.perGenre.map((g) => g.copyGenerated ?? null)),
    copyReal: mean(ev.perGenre.map((g) => g.copyReal ?? null)),
    repetition: mean(ev.perGenre.map((g) => g.repetitionGenerated ?? null)),
    repetitionReal: mean(ev.perGenre.map((g) => g.repetitionReal ?? null)),
    trainSeconds,
    generateSeconds,
  };
}

const f1 = (x: number | null) => (x === null ? "—" : x.toFixed(1));
const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(0)} %`);

export function table(rows: readonly Row[]): string {
  const head =
    "| recipe | fidelity | genres < 80 % | loudness gap dB (worst second) | flux ratio (min–max) | pulse: generated " +
    "/ real | Fréchet: generated / real | copy score: generated / real | repetition: generated / real | train s | " +
    "generate s |";
  const f2 = (x: number | null) => (x === null ? "—" : x.toFixed(2));
  return [
    head,
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.recipe} | ${pct(r.fidelity)} | ${r.weakGenres.length} | ${f1(r.loudnessGapDb)} | ` +
        `${r.fluxRatio ? `${r.fluxRatio[0].toFixed(2)}–${r.fluxRatio[1].toFixed(2)}` : "—"} | ` +
        `${f2(r.pulse ?? null)} / ${f2(r.pulseReal ?? null)} | ${f1(r.frechet)} / ${f1(r.frechetReal)} | ` +
        `${f2(r.copy)} / ${f2(r.copyReal)} | ${f2(r.repetition)} / ${f2(r.repetitionReal)} | ` +
        `${r.trainSeconds.toFixed(0)} | ${r.generateSeconds.toFixed(1)} |`,
    ),
  ].join("\n");
}

/** The base recipe first, then its variants by clips a genre and seed ("x", then "seed1" < "seed2"). */
const byVariant = (p: string, q: string): number => {
  const key = (d: string) => [Number(/-x(\d+)$/.exec(d)?.[1] ?? 10), Number(/-seed(\d+)/.exec(d)?.[1] ?? 0)];
  const [a, b] = [key(p), key(q)];
  return a[0]! - b[0]! || a[1]! - b[1]!;
};

/**
 * Fidelity over the training runs of each recipe (its seeds, at one number of clips a genre): every run's,
 * and their mean ± sample standard deviation. One run against another differs by more than 100 or 300
 * clips' noise (GENERATOR.md, item 18), so recipes are compared by these. Null when no recipe has two runs.
 */
export function runsTable(rows: readonly Row[]): string | null {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const base = baseOf(r.recipe);
    if (!base) continue;
    const key = `${base.name}${/-x\d+$/.exec(r.recipe)?.[0] ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [...groups]
    .filter(([, g]) => g.length > 1)
    .map(([key, g]) => {
      const f = g.map((r) => 100 * r.fidelity);
      const m = f.reduce((x, y) => x + y, 0) / f.length;
      const sd = Math.sqrt(f.reduce((x, y) => x + (y - m) ** 2, 0) / (f.length - 1));
      const clips = Number(/-x(\d+)$/.exec(key)?.[1] ?? 10) * 10;
      return (
        `| ${key.replace(/-x\d+$/, "")} | ${clips} | ${g.length} | ${f.map((x) => x.toFixed(0)).join(", ")} | ` +
        `${m.toFixed(0)} ± ${sd.toFixed(0)} % |`
      );
    });
  return lines.length
    ? ["| recipe | clips | runs | fidelity of each run (%) | mean ± sd |", "|---|---|---|---|---|", ...lines].join("\n")
    : null;
}

/** The default recipe's run folder, or its predecessor's (item 19 changed only how weights are kept). */
const defaultRun = (out: string): string =>
  existsSync(join(out, "genrelab", "checkpoints")) ? "genrelab" : "tokens-mel";

/** The no-model references (./references.ts), judged like the recipes; none without a recipe's clips. */
async function referenceRows(out: string, judge: string): Promise<Row[]> {
  const source = RECIPES.map((r) => join(out, r.name, "generated", "clips.json")).find(existsSync);
  const rows: Row[] = [];
  const tokens = tokenizedReal(join(out, defaultRun(out), "checkpoints", "generator-all.best"));
  for (const ref of source ? [...REFERENCES, ...(tokens ? [tokens] : [])] : []) {
    const dir = join(out, ref.slug);
    if (!(await writeReferenceClips(ref, source!, dir))) continue;
    rows.push(rowOfEvaluation(ref.name, await judgeClips(judge, dir), 0, 0));
  }
  return rows;
}

/** "10 genres × 5 s" with the default recipe's checkpoint, as `genrelab generate` reports it. */
async function generationSpeed(out: string): Promise<string | null> {
  const ckpt = join(out, defaultRun(out), "checkpoints", "generator-all.best");
  if (!existsSync(`${ckpt}.json`)) return null;
  const log = join(out, "speed.log");
  await genrelab(
    ["generate", ckpt, "--seed-from", "demo", "--out", join(out, "speed"), "--count", "1", "--seconds", "5"],
    log,
  );
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
  const queue = RECIPES.filter((r) => !a.only || a.only.includes(r.name)).flatMap((r) =>
    a.seeds.map((s) => variant(r, s, a.perGenre)),
  );
  const rows = new Map<string, Row>();
  const worker = async (): Promise<void> => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const dir = join(a.out, r.name);
      mkdirSync(join(dir, "checkpoints"), { recursive: true });
      for (const ext of ["json", "safetensors"])
        copyFileSync(`${judgeCkpt}.${ext}`, join(dir, "checkpoints", `classifier.best.${ext}`));
      // The run skips a stage whose marker exists and whose outputs check out: the judge is reused.
      mkdirSync(join(dir, "stages"), { recursive: true });
      writeFileSync(
        join(dir, "stages", "classifier.json"),
        JSON.stringify({
          stage: "classifier",
          seconds: 0,
          finishedAt: new Date().toISOString(),
          result: { judge: judgeCkpt },
        }),
      );
      // config.json too: the run then records the recipe as it stands (finished stages are not redone).
      if (a.reevaluate)
        for (const f of [
          join(dir, "stages", "evaluate.json"),
          join(dir, "eval", "generated.json"),
          join(dir, "config.json"),
        ])
          rmSync(f, { force: true });
      if (a.regenerate)
        for (const f of [join(dir, "stages", "generate.json"), join(dir, "generated")])
          rmSync(f, { force: true, recursive: true });
      const config = join(a.out, `${r.name}.config.json`);
      writeFileSync(config, JSON.stringify(r.config, null, 2));
      const t0 = Date.now();
      console.log(`${r.name}: ${r.description}`);
      // --resume only once the run has a config.json: a fresh folder (the judge copied in) is not a run yet.
      const resume = existsSync(join(dir, "config.json")) ? ["--resume"] : [];
      await genrelab(
        ["run", "--data", "demo", "--out", dir, "--config", config, ...resume, "--quiet"],
        join(a.out, `${r.name}.log`),
      );
      const row = rowOf(r, dir);
      rows.set(r.name, row);
      console.log(
        `${r.name}: fidelity ${pct(row.fidelity)}, loudness gap ${f1(row.loudnessGapDb)} dB ` +
          `(${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, a.jobs) }, worker));
  const references = await referenceRows(a.out, judgeCkpt);
  // Every finished recipe and variant, also those of earlier invocations, in the table's order.
  const finished = readdirSync(a.out).filter((d) => existsSync(join(a.out, d, "eval", "generated.json")));
  const ordered = RECIPES.flatMap((r) =>
    finished
      .filter((d) => baseOf(d) === r)
      .sort(byVariant)
      .map((d) => rows.get(d) ?? rowOf({ ...r, name: d }, join(a.out, d))),
  );
  ordered.push(...references);
  writeJsonAtomic(join(a.out, "results.json"), ordered);
  console.log(`\n${table(ordered)}`);
  const repeated = runsTable(ordered);
  if (repeated) console.log(`\nOver training runs (recipes run with more than one seed):\n${repeated}`);
  const speed = await generationSpeed(a.out);
  if (speed)
    console.log(
      `\ngenrelab's default: 10 genres × 5 s (one clip each, one batch) in ${speed} s (genrelab generate, writing ` +
        "its 40 files)",
    );
}

await main();
