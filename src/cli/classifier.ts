// `genrelab train-classifier`, `evaluate` and `classify`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MelSpectrogram, loadAudio, WORK_RATE } from "../audio/index.js";
import type { SplitName } from "../data/index.js";
import { loadClassifier } from "../models/load.js";
import { trainClassifier } from "../train/classifier.js";
import { describeClassifierEpoch, pct } from "../pipeline/describe.js";
import type { ClassifiedFile } from "../eval/classification.js";
import { classifySamples, evaluateGenerated, evaluateSongs, type GeneratedAudio } from "../eval/evaluate.js";
import { parseClassifierConfig } from "../train/classifier-config.js";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs.js";
import { readJsonFile } from "../util/json.js";
import { meanSd } from "../util/stats.js";
import { noteStaleTemps, trainingProgress } from "./progress.js";
import { runPaths as runDir } from "../pipeline/paths.js";
import { loadSplitSongs } from "./songs.js";
import { defined, readConfigFile } from "./config-file.js";
import { lockFolder } from "../util/lock.js";
import { joinFromEnv } from "../train/distributed.js";
import { asRank } from "./rank.js";
import type { EpochMetrics } from "../train/metrics-log.js";
import type { ProcessGroup } from "../torch/index.js";

export interface TrainClassifierFlags {
  data: string;
  split: SplitName;
  out: string;
  config?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  threads?: number;
  patience?: number;
  folds?: number;
  syncBatchNorm?: boolean;
  resume?: boolean;
  quiet?: boolean;
}

/**
 * A classifier per fold of an n-fold split, each in <out>/fold-K, and the folds' test accuracies with their
 * mean ± sd.
 */
async function crossValidate(f: TrainClassifierFlags & { folds: number }, group: ProcessGroup | null): Promise<void> {
  if (f.split !== "seed") throw new Error("--folds makes its own split (fold:K/N); leave out --split");
  const rows: { fold: number; songAccuracy: number; windowAccuracy: number; songs: number; checkpoint: string }[] = [];
  for (let k = 1; k <= f.folds; k++) {
    if (!f.quiet) console.log(`fold ${k}/${f.folds}`);
    const out = join(f.out, `fold-${k}`);
    const r = await trainOne({ ...f, out, split: `fold:${k}/${f.folds}` }, group);
    if (!r) continue; // a rank other than 0: it trained, rank 0 reports
    rows.push({
      fold: k,
      songAccuracy: r.test.song.accuracy,
      windowAccuracy: r.test.window.accuracy,
      songs: r.test.song.count,
      checkpoint: r.bestPath,
    });
  }
  if (!rows.length) return;
  const summary = {
    folds: f.folds,
    perFold: rows,
    songAccuracy: meanSd(rows.map((r) => r.songAccuracy)),
    windowAccuracy: meanSd(rows.map((r) => r.windowAccuracy)),
  };
  writeJsonAtomic(join(f.out, "folds.json"), summary);
  for (const r of rows)
    console.log(
      `fold ${r.fold}: song accuracy ${pct(r.songAccuracy)}, window accuracy ${pct(r.windowAccuracy)} (${r.songs} ` +
        "test songs)",
    );
  const s = summary.songAccuracy;
  const w = summary.windowAccuracy;
  console.log(
    `${f.folds} folds: song accuracy ${pct(s.mean)} ± ${pct(s.sd)}, window accuracy ${pct(w.mean)} ± ${pct(w.sd)} ` +
      `(mean ± sd) → ${join(f.out, "folds.json")}`,
  );
}

export async function trainClassifierCommand(f: TrainClassifierFlags): Promise<void> {
  const group = joinFromEnv();
  if (f.folds) return crossValidate({ ...f, folds: f.folds }, group);
  await trainOne(f, group);
}

async function trainOne(flags: TrainClassifierFlags, joined: ProcessGroup | null) {
  const { group, lead, f } = asRank(flags, joined);
  const config = parseClassifierConfig(
    {
      ...readConfigFile(f.config, "classifier"),
      ...defined({
        epochs: f.epochs,
        batchSize: f.batchSize,
        lr: f.lr,
        seed: f.seed,
        threads: f.threads,
        patience: f.patience,
        syncBatchNorm: f.syncBatchNorm,
      }),
    },
    f.config ?? "classifier options",
  );
  const run = runDir(f.out);
  if (lead) noteStaleTemps(lockFolder(f.out, "train-classifier"), f.out);
  const data = await loadSplitSongs({ data: f.data, split: f.split, seed: config.seed, quiet: f.quiet });
  const line = (row: EpochMetrics) => `epoch ${row.epoch}: ${describeClassifierEpoch(row)}`;
  const shown = trainingProgress("classifier", f.quiet, config.epochs, 3, line);
  const result = trainClassifier({
    train: data.songs.train,
    valid: data.songs.valid,
    labels: data.labels,
    config,
    checkpointDir: run.checkpoints,
    metricsPath: run.metrics("classifier"),
    resume: f.resume,
    group,
    ...shown.hooks,
  });
  shown.stop();
  if (!lead) return null;
  const test = evaluateSongs(result.bestPath, data.songs.test);
  writeJsonAtomic(run.eval("classifier-test"), test);
  console.log(
    `best epoch ${result.best?.epoch} (valid song accuracy ` +
      `${pct(result.best?.validSongAccuracy)})${result.stoppedEarly ? ", stopped early" : ""}`,
  );
  console.log(
    `test: song accuracy ${pct(test.song.accuracy)}, window accuracy ${pct(test.window.accuracy)} on ` +
      `${test.song.count} songs`,
  );
  console.log(
    `checkpoint ${result.bestPath}.safetensors; metrics ${run.metrics("classifier")}; evaluation ` +
      `${run.eval("classifier-test")}`,
  );
  return { bestPath: result.bestPath, test };
}

export interface EvaluateFlags {
  data?: string;
  clips?: string;
  split: SplitName;
  set: "train" | "valid" | "test" | "all";
  seed: number;
  out?: string;
  quiet?: boolean;
}

/**
 * Generated clips in a folder, their genre taken from their names (<genre>.<k>.wav; a genre may hold
 * dots and spaces), each with <genre>.<k>.{real,seed}.wav when present.
 */
const CLIP = /^(.+)\.\d+\.(wav|au|mp3|flac|ogg)$/;

async function clipsIn(dir: string): Promise<GeneratedAudio[]> {
  if (!existsSync(dir)) throw new Error(`${dir}: folder not found`);
  const names = readdirSync(dir)
    .filter((f) => CLIP.test(f))
    .sort();
  if (!names.length) throw new Error(`${dir}: no clips named <genre>.<k>.wav`);
  return Promise.all(
    names.map(async (name) => {
      // The sidecar names the genre exactly (a file name cannot hold a slash).
      const sidecar = join(dir, name.replace(/\.[a-z0-9]+$/, ".json"));
      const recorded = readJsonFile<{ genre?: unknown }>(sidecar, { lenient: true })?.genre;
      const genre = typeof recorded === "string" ? recorded : CLIP.exec(name)![1]!;
      const { samples } = await loadAudio(join(dir, name), WORK_RATE);
      const beside = async (kind: string) => {
        const path = join(dir, name.replace(/\.[a-z0-9]+$/, `.${kind}.wav`));
        return existsSync(path) ? (await loadAudio(path, WORK_RATE)).samples : null;
      };
      return { name, samples, genre, real: await beside("real"), seed: await beside("seed") };
    }),
  );
}

export async function evaluateCommand(checkpoint: string, f: EvaluateFlags): Promise<void> {
  if (!f.data && !f.clips)
    throw new Error("evaluate: give --data (real songs of a split) or --clips (a folder of generated clips)");
  let result: object;
  let line: string;
  if (f.clips) {
    const songs = f.data
      ? (await loadSplitSongs({ data: f.data, split: f.split, seed: f.seed, quiet: f.quiet })).songs
      : null;
    const r = evaluateGenerated(checkpoint, await clipsIn(f.clips), songs?.test ?? [], songs?.train ?? []);
    result = { folder: f.clips, ...r };
    line = `${r.report.count} clips: ${pct(r.report.accuracy)} classified as their genre`;
  } else {
    const data = await loadSplitSongs({ data: f.data!, split: f.split, seed: f.seed, quiet: f.quiet });
    const songs = f.set === "all" ? [...data.songs.train, ...data.songs.valid, ...data.songs.test] : data.songs[f.set];
    const r = evaluateSongs(checkpoint, songs);
    result = { set: f.set, split: f.split, ...r };
    line = `${f.set}: song accuracy ${pct(r.song.accuracy)}, window accuracy ${pct(r.window.accuracy)}`;
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (f.out) writeFileAtomic(f.out, json);
  else process.stdout.write(json);
  if (f.out && !f.quiet) console.log(`${line} → ${f.out}`);
}

export async function classifyCommand(checkpoint: string, files: string[], f: { json?: boolean }): Promise<void> {
  const { model, meta } = loadClassifier(checkpoint);
  const mel = new MelSpectrogram(meta.mel);
  const results: unknown[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const { samples } = await loadAudio(file, WORK_RATE);
      const r: ClassifiedFile = { file, ...classifySamples(model, meta, mel, samples) };
      results.push(r);
      const top3 = r.probabilities
        .slice(0, 3)
        .map((p) => `${p.genre} ${pct(p.probability)}`)
        .join(", ");
      if (!f.json)
        console.log(
          `${file}: ${r.genre} ${pct(r.probability)}  (top 3: ${top3}; ${r.windows.length} ` +
            `window${r.windows.length > 1 ? "s" : ""})`,
        );
    } catch (err) {
      failed++;
      const message = err instanceof Error ? err.message : String(err);
      results.push({ file, error: message });
      console.error(`genrelab: ${message.startsWith(file) ? message : `${file}: ${message}`}`);
    }
  }
  if (f.json) console.log(JSON.stringify(results, null, 2));
  if (failed) process.exitCode = 1;
}
