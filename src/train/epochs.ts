// The epoch loop the generators share: resume, per-epoch seeding, steps with gradient clipping, a
// non-finite loss named, validation, best and last checkpoints, metrics rows and patience. Each
// trainer says only what a step and a validation are.
import { mixSeed } from "../data/index.js";
import { F, manualSeed, tidy, type Adam, type nn, type Tensor } from "../torch/index.js";
import { completeCheckpoint, resumeTraining, saveCheckpoint } from "./checkpoint.js";
import { MetricsLog, type EpochMetrics, type TrainingHooks } from "./metrics-log.js";

export interface Best { epoch: number; validLoss: number }

/** What a checkpoint's sidecar holds for the loop to resume from. */
export interface Resumable { epoch: number; metrics: EpochMetrics | null; best: Best | null }

export interface Step {
  /** Named in the error when its loss is not finite ("song blues.00012", "step 7"). */
  label: string;
  /** The step's loss, with its graph: the loop backpropagates, clips and steps. */
  loss: () => Tensor;
}

export interface EpochLoop<M extends Resumable> extends TrainingHooks {
  /** The command named in errors ("train-generator"). */
  command: string;
  model: nn.Module;
  optimizer: Adam;
  checkpointBase: string;
  epochs: number;
  patience: number;
  seed: number;
  clipNorm: number;
  /** Before the first epoch; `resumed`: the weights came from a checkpoint. */
  start?: (resumed: boolean) => void;
  /** The steps of `epoch`, in order (called after the epoch's seed is set). */
  steps: (epoch: number) => Step[];
  validate: () => { validLoss: number } & Record<string, number>;
  meta: (epoch: number, metrics: EpochMetrics, best: Best | null) => M;
}

/** Trains to `epochs` (or until `patience` epochs pass without a better validation loss). */
export function runEpochs<M extends Resumable>(o: EpochLoop<M>): { best: Best | null; epochs: number; path: string } {
  const log = new MetricsLog(o.metricsPath, o.resume);
  const last = `${o.checkpointBase}.last`;
  const bestPath = `${o.checkpointBase}.best`;
  if (o.resume) completeCheckpoint(bestPath);
  const resumed = resumeTraining<M>(last, o.resume, o.model, o.optimizer);
  o.start?.(resumed !== null);
  const first = resumed ? resumed.epoch + 1 : 1;
  let best = resumed?.best ?? null;
  log.resumeAt(first - 1, resumed?.metrics ?? null);
  let epoch = first;
  for (; epoch <= o.epochs; epoch++) {
    if (o.patience && best && epoch - 1 - best.epoch >= o.patience) break;
    const t0 = Date.now();
    manualSeed(mixSeed(o.seed, epoch));
    o.model.train();
    const steps = o.steps(epoch);
    let lossSum = 0;
    steps.forEach((s, i) => {
      const loss = tidy(() => {
        const l = s.loss();
        o.optimizer.zeroGrad();
        l.backward();
        F.clipGradNorm(o.model.parameters(), o.clipNorm);
        o.optimizer.step();
        return l.item();
      });
      if (!Number.isFinite(loss)) throw new Error(`${o.command}: loss became ${loss} at epoch ${epoch}, ${s.label} (try a lower --lr)`);
      lossSum += loss;
      o.onStep?.(epoch, i + 1, steps.length, loss);
    });
    const v = o.validate();
    const row: EpochMetrics = { epoch, trainLoss: lossSum / steps.length, ...v, lr: o.optimizer.lr, seconds: (Date.now() - t0) / 1000 };
    if (!best || v.validLoss < best.validLoss) {
      best = { epoch, validLoss: v.validLoss };
      saveCheckpoint(bestPath, o.model.stateDict(), null, o.meta(epoch, row, best));
    }
    saveCheckpoint(last, o.model.stateDict(), () => o.optimizer.stateDict(), o.meta(epoch, row, best));
    log.append(row);
    o.onEpoch?.(row);
  }
  return { best, epochs: epoch - 1, path: bestPath };
}
