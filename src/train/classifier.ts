// Training the genre classifier: Adam on mel windows of the training songs, validation at window and
// song level each epoch, best checkpoint by validation accuracy, early stopping, exact resume.
import { join } from "node:path";
import { MelSpectrogram, WORK_RATE, type MelSettings } from "../audio/index.js";
import { ClassifierExamples, GENRES, mixSeed, type Song } from "../data/index.js";
import { predictWindows, songVotes, windowClasses } from "../eval/predict.js";
import { Classifier, type ClassifierConfig } from "../models/classifier.js";
import type { ClassifierInfo } from "../models/load.js";
import { Adam, F, manualSeed, setNumThreads, tidy } from "../torch/index.js";
import { completeCheckpoint, resumeTraining, saveCheckpoint } from "./checkpoint.js";
import type { ClassifierTrainConfig } from "./classifier-config.js";
import { MetricsLog, type EpochMetrics, type TrainingHooks } from "./metrics-log.js";

/** Everything a classifier checkpoint's sidecar records. */
export interface ClassifierMeta extends ClassifierInfo {
  train: ClassifierTrainConfig;
  metrics: EpochMetrics | null;
  best: { epoch: number; validSongAccuracy: number; validWindowAccuracy: number } | null;
}

export interface TrainClassifierOptions extends TrainingHooks {
  train: readonly Song[];
  valid: readonly Song[];
  config: ClassifierTrainConfig;
  /** Checkpoints go to <checkpointDir>/classifier.{best,last}.*, metrics to <metricsPath>. */
  checkpointDir: string;
}

export interface ClassifierTrainResult {
  bestPath: string;
  best: ClassifierMeta["best"];
  epochs: number;
  stoppedEarly: boolean;
}

export function melSettingsOf(c: ClassifierTrainConfig): MelSettings {
  return new MelSpectrogram({ sampleRate: WORK_RATE, nFft: c.mel.nFft, winLength: c.mel.nFft, hopLength: c.mel.hopLength, nMels: c.mel.nMels, fMin: c.mel.fMin, fMax: c.mel.fMax, topDb: c.mel.topDb }).settings;
}

/** Whether `a` beats `b` on validation: song accuracy first, then window accuracy. */
const better = (a: { validSongAccuracy: number; validWindowAccuracy: number }, b: ClassifierMeta["best"]): boolean =>
  !b || a.validSongAccuracy > b.validSongAccuracy || (a.validSongAccuracy === b.validSongAccuracy && a.validWindowAccuracy > b.validWindowAccuracy);

export function trainClassifier(o: TrainClassifierOptions): ClassifierTrainResult {
  const c = o.config;
  if (!o.train.length) throw new Error("train-classifier: no training songs");
  if (!o.valid.length) throw new Error("train-classifier: no validation songs (the split must hold some)");
  setNumThreads(c.threads);
  const mel = new MelSpectrogram(melSettingsOf(c));
  const windows = { sampleRate: WORK_RATE, windowSeconds: c.windowSeconds };
  const trainEx = new ClassifierExamples(o.train, mel, windows);
  const validEx = new ClassifierExamples(o.valid, mel, windows);
  const modelConfig: ClassifierConfig = { inputShape: trainEx.inputShape, channels: c.model.channels, numClasses: GENRES.length, dropout: c.model.dropout, head: c.model.head };
  manualSeed(c.seed);
  const model = new Classifier(modelConfig);
  const opt = new Adam(model.parameters(), { lr: c.lr, weightDecay: c.weightDecay });
  const last = join(o.checkpointDir, "classifier.last");
  const bestPath = join(o.checkpointDir, "classifier.best");
  const log = new MetricsLog(o.metricsPath, o.resume);
  if (o.resume) completeCheckpoint(bestPath);
  const resumed = resumeTraining<ClassifierMeta>(last, o.resume, model, opt);
  const start = resumed ? resumed.epoch + 1 : 1;
  let best: ClassifierMeta["best"] = resumed?.best ?? null;
  log.resumeAt(start - 1, resumed?.metrics ?? null);
  const meta = (epoch: number, metrics: EpochMetrics | null): ClassifierMeta => ({
    kind: "classifier", genres: [...GENRES], sampleRate: WORK_RATE, windowSeconds: c.windowSeconds, mel: mel.settings,
    model: modelConfig, train: c, epoch, metrics, best,
  });
  const sinceBest = (epoch: number): number => (best ? epoch - best.epoch : 0);
  let epoch = start;
  let stoppedEarly = false;
  for (; epoch <= c.epochs; epoch++) {
    if (c.patience && best && sinceBest(epoch - 1) >= c.patience) {
      stoppedEarly = true;
      break;
    }
    const t0 = Date.now();
    manualSeed(mixSeed(c.seed, epoch)); // dropout: same numbers whether or not the run was resumed
    if (c.lrSchedule === "cosine") opt.lr = c.lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / c.epochs));
    model.train();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const steps = Math.ceil(trainEx.windows.length / c.batchSize);
    let step = 0;
    for (const batch of trainEx.batches(c.batchSize, { seed: mixSeed(c.seed, epoch, 1), augment: c.augment })) {
      const [loss, right] = tidy(() => {
        const logits = model.forward(batch.x);
        const l = F.crossEntropy(logits, batch.y);
        opt.zeroGrad();
        l.backward();
        opt.step();
        return [l.item(), logits.argmax(1).eq(batch.y).sum().item()];
      });
      const n = batch.songs.length;
      batch.x.dispose();
      batch.y.dispose();
      lossSum += loss * n;
      correct += right;
      seen += n;
      o.onStep?.(epoch, ++step, steps, loss);
    }
    const valid = predictWindows(model, validEx);
    const votes = songVotes(valid);
    const wc = windowClasses(valid);
    const row: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      validLoss: valid.loss,
      validWindowAccuracy: wc.filter((p, i) => p === valid.labels[i]).length / wc.length,
      validSongAccuracy: votes.filter((v) => v.predicted === v.label).length / votes.length,
      lr: opt.lr,
      seconds: (Date.now() - t0) / 1000,
    };
    const score = { validSongAccuracy: row.validSongAccuracy as number, validWindowAccuracy: row.validWindowAccuracy as number };
    if (better(score, best)) {
      best = { epoch, ...score };
      saveCheckpoint(bestPath, model.stateDict(), null, meta(epoch, row));
    }
    saveCheckpoint(last, model.stateDict(), () => opt.stateDict(), meta(epoch, row));
    log.append(row);
    o.onEpoch?.(row);
  }
  return { bestPath, best, epochs: epoch - 1, stoppedEarly };
}
