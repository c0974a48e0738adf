// Training the genre classifier: Adam on mel windows of the training songs, validation at window and
// song level each epoch, best checkpoint by validation accuracy; the loop (early stopping, exact resume)
// is train/epochs.ts, shared with the generators.
import { join } from "node:path";
import { MelSpectrogram, resolveMelSettings, WORK_RATE, type MelSettings } from "../audio/index.js";
import { ClassifierExamples, MelStore, mixSeed, StoredSong, type ExampleBatch, type Song } from "../data/index.js";
import { predictWindows, songVotes, windowClasses } from "../eval/predict.js";
import { Classifier, type ClassifierConfig } from "../models/classifier.js";
import type { ClassifierInfo } from "../models/load.js";
import { Adam, F, manualSeed, nn, setNumThreads, type ProcessGroup } from "../torch/index.js";
import type { ClassifierTrainConfig } from "./classifier-config.js";
import { metric, runEpochs, type BestBy } from "./epochs.js";
import type { EpochMetrics, TrainingHooks } from "./metrics-log.js";

/** Everything a classifier checkpoint's sidecar records. */
export interface ClassifierMeta extends ClassifierInfo {
  train: ClassifierTrainConfig;
  metrics: EpochMetrics | null;
  best: { epoch: number; validSongAccuracy: number; validWindowAccuracy: number } | null;
}

export interface TrainClassifierOptions extends TrainingHooks {
  train: readonly Song[];
  valid: readonly Song[];
  /** The data set's label names (the classes, stored in the checkpoint; a song's `track.label` indexes them). */
  labels: readonly string[];
  /** Data-parallel training across processes: `batchSize` windows per rank and step. */
  group?: ProcessGroup | null;
  config: ClassifierTrainConfig;
  /** Checkpoints go to <checkpointDir>/classifier.{best,last}.*, metrics to <metricsPath>. */
  checkpointDir: string;
  /** A line about the run that is not an error (default: to stderr). */
  onWarning?: (line: string) => void;
}

export interface ClassifierTrainResult {
  bestPath: string;
  best: ClassifierMeta["best"];
  epochs: number;
  stoppedEarly: boolean;
}

export function melSettingsOf(c: ClassifierTrainConfig): MelSettings {
  return resolveMelSettings({
    sampleRate: WORK_RATE,
    nFft: c.mel.nFft,
    winLength: c.mel.nFft,
    hopLength: c.mel.hopLength,
    nMels: c.mel.nMels,
    fMin: c.mel.fMin,
    fMax: c.mel.fMax,
    topDb: c.mel.topDb,
  });
}

/** The best epoch: by song accuracy, then window accuracy. */
type ClassifierBest = NonNullable<ClassifierMeta["best"]>;
const bySongAccuracy: BestBy<ClassifierBest> = {
  record: (epoch, v) => ({
    epoch,
    validSongAccuracy: metric(v, "validSongAccuracy"),
    validWindowAccuracy: metric(v, "validWindowAccuracy"),
  }),
  better: (a, b) =>
    a.validSongAccuracy > b.validSongAccuracy ||
    (a.validSongAccuracy === b.validSongAccuracy && a.validWindowAccuracy > b.validWindowAccuracy),
};

export function trainClassifier(o: TrainClassifierOptions): ClassifierTrainResult {
  const c = o.config;
  if (!o.train.length) throw new Error("train-classifier: no training songs");
  if (!o.valid.length) throw new Error("train-classifier: no validation songs (the split must hold some)");
  setNumThreads(c.threads);
  const mel = new MelSpectrogram(melSettingsOf(c));
  const windows = { sampleRate: WORK_RATE, windowSeconds: c.windowSeconds };
  // The store is for songs in a writable cache; songs held in memory have their windows' mels computed.
  const warn = o.onWarning ?? ((line: string) => process.stderr.write(`${line}\n`));
  const inCache = o.train.every((s) => s instanceof StoredSong);
  const stored = c.storeMels && inCache && MelStore.canStore(o.train as StoredSong[], warn);
  const store = stored ? new MelStore(mel, Math.round(c.windowSeconds * WORK_RATE)) : undefined;
  const trainEx = new ClassifierExamples(o.train, mel, { ...windows, store });
  const validEx = new ClassifierExamples(o.valid, mel, windows);
  const modelConfig: ClassifierConfig = {
    inputShape: trainEx.inputShape,
    channels: c.model.channels,
    numClasses: o.labels.length,
    dropout: c.model.dropout,
    head: c.model.head,
  };
  manualSeed(c.seed);
  const model = new Classifier(modelConfig);
  nn.syncBatchNorms(model, c.syncBatchNorm ? (o.group ?? null) : null);
  const opt = new Adam(model.parameters(), { lr: c.lr, weightDecay: c.weightDecay });
  const r = runEpochs({
    ...o,
    command: "train-classifier",
    model,
    optimizer: opt,
    checkpointBase: join(o.checkpointDir, "classifier"),
    epochs: c.epochs,
    patience: c.patience,
    seed: c.seed,
    clipNorm: 0,
    bestBy: bySongAccuracy,
    meta: (epoch, metrics, best): ClassifierMeta => ({
      kind: "classifier",
      genres: [...o.labels],
      sampleRate: WORK_RATE,
      windowSeconds: c.windowSeconds,
      mel: mel.settings,
      model: modelConfig,
      train: c,
      epoch,
      metrics,
      best,
    }),
    beforeEpoch: (epoch) => {
      if (c.lrSchedule === "cosine") opt.lr = c.lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / c.epochs));
    },
    steps: (epoch) => {
      // Batches are cut as the steps ask for them, so one epoch's mels are never all in memory.
      const world = o.group?.worldSize ?? 1;
      const shard = o.group ? { rank: o.group.rank, size: world } : undefined;
      const batches = trainEx.batches(c.batchSize, { seed: mixSeed(c.seed, epoch, 1), augment: c.augment, shard });
      return Array.from({ length: Math.ceil(trainEx.windows.length / (c.batchSize * world)) }, (_, i) => ({
        label: `batch ${i + 1}`,
        loss: () => {
          const batch = batches.next().value as ExampleBatch;
          const logits = model.forward(batch.x);
          return {
            loss: F.crossEntropy(logits, batch.y),
            examples: batch.songs.length,
            correct: logits.argmax(1).eq(batch.y).sum().item(),
          };
        },
      }));
    },
    validate: () => {
      const valid = predictWindows(model, validEx);
      const votes = songVotes(valid);
      const wc = windowClasses(valid);
      return {
        validLoss: valid.loss,
        validWindowAccuracy: wc.filter((p, i) => p === valid.labels[i]).length / wc.length,
        validSongAccuracy: votes.filter((v) => v.predicted === v.label).length / votes.length,
      };
    },
  });
  return { bestPath: r.path, best: r.best, epochs: r.epochs, stoppedEarly: r.stoppedEarly };
}
