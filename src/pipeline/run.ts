// `genrelab run`: data → classifier → generators → generation → classification → report, in one run
// folder. Each stage is skipped when its outputs are complete, so a stopped run resumes where it was.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WORK_RATE } from "../audio/index.js";
import { discover, fileStem, loadSplitSongs, songLength, type SongWithId, type SplitSongs } from "../data/index.js";
import { checkpointExists } from "../models/checkpoint.js";
import { trainClassifier } from "../train/classifier.js";
import { generatorCheckpointBase, trainGenerator } from "../train/generator.js";
import { writeJsonAtomic } from "../util/fs.js";
import { generateAll, generatorGenres, loadClips } from "./run-clips.js";
import type { RunConfig } from "./config.js";
import { describeClassifierEpoch, describeGeneratorEpoch } from "./describe.js";
import { evaluateGenerated, evaluateSongs } from "../eval/evaluate.js";
import { runPaths, type RunPaths } from "./paths.js";
import { ProgressFile } from "./progress-file.js";
import { Stages } from "./stages.js";
import { broadcastJson } from "../train/distributed.js";
import type { ProcessGroup } from "../torch/index.js";

export interface RunHooks {
  log: (line: string) => void;
  /** Progress within the current stage. */
  progress: (stage: string, done: number, total: number, note?: string) => void;
  stageDone: (stage: string) => void;
  warn: (line: string) => void;
}

export interface RunOptions {
  data: string;
  out: string;
  config: RunConfig;
  hooks: RunHooks;
  /**
   * Training across processes (train/distributed.ts): every rank trains the classifier and the generators
   * that are left, as rank 0 decides; only rank 0 writes, and it alone then generates and evaluates.
   */
  group?: ProcessGroup | null;
}

export interface RunResult {
  paths: RunPaths;
  timings: Record<string, number>;
}

/** The run's paths and stage times; null on a rank other than 0, which trained its share and reports nothing. */
export async function runPipeline(o: RunOptions): Promise<RunResult | null> {
  const p = runPaths(o.out);
  if (o.group && o.group.rank !== 0) return trainingShare(o, o.group, p);
  // What the dashboard shows of a running run, beside the caller's progress bars.
  const file = new ProgressFile(p.progress);
  const hooks: RunHooks = {
    ...o.hooks,
    progress: (stage, done, total, note) => {
      file.update(stage, done, total, note);
      o.hooks.progress(stage, done, total, note);
    },
  };
  try {
    return await runStages({ ...o, hooks }, p, file);
  } finally {
    file.clear();
  }
}

async function runStages(o: RunOptions, p: RunPaths, file: ProgressFile): Promise<RunResult> {
  const c = o.config;
  const h = o.hooks;
  const stages = new Stages(p.stages, h.log);
  writeJsonAtomic(p.config, { data: o.data, ...c });
  const group = o.group ?? null;
  // The labels set the number of stages of a per-genre recipe; the data stage reuses this discovery.
  const found = await discover(o.data);
  const labels = found.labels;
  const total = 4 + generatorGenres(c, labels).length;
  let n = 0;
  const head = (name: string) => {
    h.log(`[${++n}/${total}] ${name}`);
    file.update(name, 0, 0);
  };

  head("data");
  const t0 = Date.now();
  const data = await loadSplitSongs(found, {
    split: c.split,
    seed: c.seed,
    onWarning: h.warn,
    onProgress: (d, t) => h.progress("data", d, t),
  });
  h.stageDone("data");
  await stages.run(
    "data",
    () => {
      writeJsonAtomic(p.eval("data"), dataSummary(o.data, data));
      return { songs: data.songs.train.length + data.songs.valid.length + data.songs.test.length };
    },
    () => existsSync(p.eval("data")),
    t0,
  );

  const classifierBest = join(p.checkpoints, "classifier.best");
  const classifierDone = () => checkpointExists(classifierBest);
  const generatorDone = (genre: string) => () =>
    checkpointExists(`${generatorCheckpointBase(p.checkpoints, genre)}.best`);
  const genres = generatorGenres(c, data.labels);
  // The other ranks train what is left to train, as this rank finds it (trainingShare).
  if (group) {
    const left = [
      ...(stages.done("classifier", classifierDone) ? [] : ["classifier"]),
      ...genres.filter((g) => !stages.done(generatorStage(g), generatorDone(g))),
    ];
    broadcastJson(group, left);
  }

  head("classifier");
  await stages.run(
    "classifier",
    () => {
      const r = trainClassifier({
        ...classifierTraining(c, data, p, group),
        onStep: (epoch, step, of, loss) =>
          h.progress("classifier", (epoch - 1) * of + step, c.classifier.epochs * of, `loss ${loss.toFixed(3)}`),
        onEpoch: (row) => h.log(`  epoch ${row.epoch}: ${describeClassifierEpoch(row)}`),
        onWarning: h.warn,
      });
      h.stageDone("classifier");
      return { best: r.best, epochs: r.epochs, stoppedEarly: r.stoppedEarly };
    },
    classifierDone,
  );

  for (const genre of genres) {
    head(`generator ${genre}`);
    await stages.run(
      generatorStage(genre),
      () => {
        const r = trainGenerator({
          ...generatorTraining(c, data, p, group, genre),
          onStep: (epoch, step, of, loss) =>
            h.progress(`G ${genre}`, (epoch - 1) * of + step, c.generator.epochs * of, `loss ${loss.toExponential(2)}`),
          onEpoch: (row) => h.log(`  epoch ${row.epoch}: ${describeGeneratorEpoch(row)}`),
        });
        h.stageDone(`G ${genre}`);
        return { best: r.best, epochs: r.epochs };
      },
      generatorDone(genre),
    );
  }

  // The other ranks are done: generating and judging are rank 0's alone.
  group?.destroy();

  head("generate");
  const clips = await stages.run(
    "generate",
    () => generateAll(c, p, data),
    () => existsSync(p.clipIndex),
  );

  head("evaluate");
  await stages.run(
    "evaluate",
    async () => {
      for (const side of ["train", "test"] as const) {
        writeJsonAtomic(p.eval(`classifier-${side}`), evaluateSongs(classifierBest, data.songs[side]));
      }
      const generated = await loadClips(p, clips);
      writeJsonAtomic(
        p.eval("generated"),
        evaluateGenerated(classifierBest, generated, data.songs.test, data.songs.train),
      );
      return { clips: generated.length };
    },
    () => ["classifier-train", "classifier-test", "generated"].every((e) => existsSync(p.eval(e))),
  );

  return { paths: p, timings: stages.timings };
}

const generatorStage = (genre: string): string => `generator-${fileStem(genre)}`;

// What every rank trains with, alike on all of them (a rank that trained otherwise would hang the group);
// each adds its own progress hooks.
const classifierTraining = (c: RunConfig, data: SplitSongs, p: RunPaths, group: ProcessGroup | null) => ({
  train: data.songs.train,
  valid: data.songs.valid,
  labels: data.labels,
  config: c.classifier,
  checkpointDir: p.checkpoints,
  metricsPath: p.metrics("classifier"),
  resume: true,
  group,
});
const generatorTraining = (c: RunConfig, data: SplitSongs, p: RunPaths, group: ProcessGroup | null, genre: string) => ({
  songs: data.songs.train,
  genre,
  labels: data.labels,
  config: c.generator,
  checkpointBase: generatorCheckpointBase(p.checkpoints, genre),
  metricsPath: p.metrics(generatorStage(genre)),
  resume: true,
  group,
});

/**
 * A rank other than 0: loads the same data, trains the stages rank 0 says are left, with it, and writes
 * nothing (each training call writes on rank 0 only). Resuming a stage reads its last checkpoint, so
 * resumed runs need the run folder on every rank (a shared file system), as train-classifier does.
 */
async function trainingShare(o: RunOptions, group: ProcessGroup, p: RunPaths): Promise<null> {
  const c = o.config;
  const data = await loadSplitSongs(await discover(o.data), { split: c.split, seed: c.seed, onWarning: () => {} });
  const left = broadcastJson<string[]>(group, null);
  const quiet = { onStep: () => {}, onEpoch: () => {} };
  if (left.includes("classifier")) trainClassifier({ ...classifierTraining(c, data, p, group), ...quiet });
  for (const genre of generatorGenres(c, data.labels).filter((g) => left.includes(g))) {
    trainGenerator({ ...generatorTraining(c, data, p, group, genre), ...quiet });
  }
  group.destroy();
  return null;
}

function dataSummary(dir: string, d: SplitSongs) {
  const seconds = (songs: readonly SongWithId[]) => songs.reduce((s, x) => s + songLength(x), 0) / WORK_RATE;
  return {
    folder: dir,
    root: d.root,
    tracks: d.tracks,
    decoded: d.songs.train.length + d.songs.valid.length + d.songs.test.length,
    skipped: d.skipped,
    split: Object.fromEntries(
      (["train", "valid", "test"] as const).map((k) => [
        k,
        { songs: d.songs[k].length, minutes: seconds(d.songs[k]) / 60 },
      ]),
    ),
    shortSongs: [...d.songs.train, ...d.songs.valid, ...d.songs.test]
      .filter((s) => songLength(s) < 30 * WORK_RATE)
      .map((s) => s.id),
  };
}
