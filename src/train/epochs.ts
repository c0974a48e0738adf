// The one epoch loop every trainer shares: resume, per-epoch seeding, steps (with gradient clipping), a
// non-finite loss named, validation, best and last checkpoints, metrics rows and patience. Each
// trainer says only what a step, a validation and a better epoch are.
import { mixSeed } from "../data/index.js";
import { Adam, F, manualSeed, tensor, tidy, toArray, type nn, type ProcessGroup, type Tensor } from "../torch/index.js";
import { syncBuffers, syncModel } from "./distributed.js";
import { completeCheckpoint, resumeTraining, saveCheckpoint } from "./checkpoint.js";
import { MetricsLog, type EpochMetrics, type TrainingHooks } from "./metrics-log.js";
import { WeightAverage } from "./weight-average.js";

/** The best epoch by validation loss (the generators' criterion). */
export interface Best {
  epoch: number;
  validLoss: number;
}

/** What a checkpoint's sidecar holds for the loop to resume from. */
export interface Resumable<B> {
  epoch: number;
  metrics: EpochMetrics | null;
  best: B | null;
}

/** A step's loss with its graph; a batch of examples may also say how many it holds and got right. */
export type StepLoss = Tensor | { loss: Tensor; examples: number; correct: number };

export interface Step {
  /** Named in the error when its loss is not finite ("song blues.00012", "step 7"). */
  label: string;
  /** The step's loss: the loop backpropagates, clips and steps. */
  loss: () => StepLoss;
}

/** Which epoch is best: its record from a validation, and whether one record beats another. */
export interface BestBy<B extends { epoch: number }> {
  record: (epoch: number, validation: Record<string, number>) => B;
  better: (a: B, than: B) => boolean;
}

/** A validation metric by name; its absence is a bug in the trainer that names it. */
export function metric(validation: Record<string, number>, name: string): number {
  const x = validation[name];
  if (x === undefined) throw new Error(`validation gave no ${name}`);
  return x;
}

/** Lower validation loss is better (the generators'). */
export const byValidLoss: BestBy<Best> = {
  record: (epoch, v) => ({ epoch, validLoss: metric(v, "validLoss") }),
  better: (a, than) => a.validLoss < than.validLoss,
};

/** The loop settings both generator trainers take from their config: Adam at its lr, best by validation loss. */
export const generatorLoop = (
  model: nn.Module,
  c: { lr: number; epochs: number; patience: number; seed: number; clipNorm: number; average: number },
) => ({
  command: "train-generator",
  model,
  optimizer: new Adam(model.parameters(), { lr: c.lr }),
  epochs: c.epochs,
  patience: c.patience,
  seed: c.seed,
  clipNorm: c.clipNorm,
  average: c.average,
  bestBy: byValidLoss,
});

export interface EpochLoop<B extends { epoch: number }, M extends Resumable<B>> extends TrainingHooks {
  /** The command named in errors ("train-generator"). */
  command: string;
  model: nn.Module;
  optimizer: Adam;
  checkpointBase: string;
  epochs: number;
  patience: number;
  seed: number;
  /** Global gradient-norm clip (0: none). */
  clipNorm: number;
  /** Before the first epoch; `resumed`: the weights came from a checkpoint. */
  start?: (resumed: boolean) => void;
  /** At the start of each epoch, after its seed is set (a learning-rate schedule). */
  beforeEpoch?: (epoch: number) => void;
  /** The steps of `epoch`, in order (called after the epoch's seed is set). */
  steps: (epoch: number) => Step[];
  /** The validation's metrics (validLoss at least), added to the epoch's row. */
  validate: () => { validLoss: number } & Record<string, number>;
  bestBy: BestBy<B>;
  meta: (epoch: number, metrics: EpochMetrics, best: B | null) => M;
  /**
   * Data-parallel training (train/distributed.ts): rank 0's weights to every rank before the first
   * epoch and its buffers before each validation, gradients averaged before each step, the epoch's
   * training loss over all ranks; only rank 0 writes checkpoints and metrics. `steps` gives this rank's share.
   */
  group?: ProcessGroup | null;
  /**
   * Decay of an exponential moving average of the weights (train/weight-average.ts), updated after each
   * step; validation and the best checkpoint use the average. 0 or unset: none.
   */
  average?: number;
}

export interface EpochsResult<B> {
  best: B | null;
  epochs: number;
  path: string;
  stoppedEarly: boolean;
}

/** Trains to `epochs` (or until `patience` epochs pass without a better one); `path`: the best checkpoint. */
export function runEpochs<B extends { epoch: number }, M extends Resumable<B>>(o: EpochLoop<B, M>): EpochsResult<B> {
  const group = o.group ?? null;
  const average = o.average ? new WeightAverage(o.model, o.average) : null;
  try {
    return epochs(o, group, average);
  } finally {
    average?.dispose();
  }
}

function epochs<B extends { epoch: number }, M extends Resumable<B>>(
  o: EpochLoop<B, M>,
  group: ProcessGroup | null,
  average: WeightAverage | null,
): EpochsResult<B> {
  const writes = !group || group.rank === 0;
  const log = writes ? new MetricsLog(o.metricsPath, o.resume) : null;
  const last = `${o.checkpointBase}.last`;
  const bestPath = `${o.checkpointBase}.best`;
  if (o.resume && writes) completeCheckpoint(bestPath);
  // The average is saved and restored with the optimizer's state.
  const optimizerState = average
    ? {
        stateDict: () => new Map([...o.optimizer.stateDict(), ...average.stateDict()]),
        loadStateDict: (s: ReadonlyMap<string, Tensor>) => o.optimizer.loadStateDict(average.loadStateDict(s)),
      }
    : o.optimizer;
  // Every rank reads the checkpoint it resumes from (the optimizer's state too): the run folder must be
  // visible to all of them.
  const resumed = resumeTraining<M>(last, o.resume, o.model, optimizerState);
  o.start?.(resumed !== null);
  if (group) syncModel(group, o.model);
  const first = resumed ? resumed.epoch + 1 : 1;
  let best = resumed?.best ?? null;
  log?.resumeAt(first - 1, resumed?.metrics ?? null);
  let epoch = first;
  let stoppedEarly = false;
  for (; epoch <= o.epochs; epoch++) {
    if (o.patience && best && epoch - 1 - best.epoch >= o.patience) {
      stoppedEarly = true;
      break;
    }
    const t0 = Date.now();
    manualSeed(mixSeed(o.seed, epoch)); // dropout draws the same numbers whether or not the run was resumed
    o.beforeEpoch?.(epoch);
    o.model.train();
    const train = trainEpoch(o, epoch, group, average, log);
    if (group) syncBuffers(group, o.model);
    log?.writeSteps();
    // Validated, and kept as the best, with the averaged weights if there are any.
    const averaged = <T>(fn: () => T): T => (average ? average.applied(fn) : fn());
    const row = averaged(() => {
      const v = o.validate();
      const row: EpochMetrics = { epoch, ...train, ...v, lr: o.optimizer.lr, seconds: (Date.now() - t0) / 1000 };
      const record = o.bestBy.record(epoch, v);
      if (!best || o.bestBy.better(record, best)) {
        best = record;
        if (writes) saveCheckpoint(bestPath, o.model.stateDict(), null, o.meta(epoch, row, best));
      }
      return row;
    });
    if (writes) saveCheckpoint(last, o.model.stateDict(), () => optimizerState.stateDict(), o.meta(epoch, row, best));
    log?.append(row);
    if (writes) o.onEpoch?.(row);
  }
  return { best, epochs: epoch - 1, path: bestPath, stoppedEarly };
}

/** One epoch's steps: the mean training loss (over examples when steps count them) and accuracy if known. */
function trainEpoch<B extends { epoch: number }, M extends Resumable<B>>(
  o: EpochLoop<B, M>,
  epoch: number,
  group: ProcessGroup | null,
  average: WeightAverage | null,
  log: MetricsLog | null,
): { trainLoss: number; trainAccuracy?: number } {
  const steps = o.steps(epoch);
  let lossSum = 0;
  let examples = 0;
  let correct = 0;
  let counted = false;
  steps.forEach((s, i) => {
    const [loss, n, right] = tidy(() => {
      const out = s.loss();
      const l = "examples" in out ? out.loss : out;
      o.optimizer.zeroGrad();
      l.backward();
      if (group)
        group.allReduce(
          o.model.parameters().flatMap((p) => p.grad ?? []),
          "avg",
        );
      if (o.clipNorm > 0) F.clipGradNorm(o.model.parameters(), o.clipNorm);
      o.optimizer.step();
      average?.update();
      return "examples" in out ? [l.item(), out.examples, out.correct] : [l.item(), 1, null];
    });
    if (!Number.isFinite(loss))
      throw new Error(`${o.command}: loss became ${loss} at epoch ${epoch}, ${s.label} (try a lower --lr)`);
    lossSum += loss * n;
    examples += n;
    if (right !== null) {
      correct += right;
      counted = true;
    }
    // With several ranks, rank 0's own loss (the epoch's row has all ranks').
    log?.step(epoch, loss);
    if (!group || group.rank === 0) o.onStep?.(epoch, i + 1, steps.length, loss);
  });
  if (group)
    [lossSum, examples, correct] = sumOverRanks(group, [lossSum, examples, correct]) as [number, number, number];
  return counted
    ? { trainLoss: lossSum / examples, trainAccuracy: correct / examples }
    : { trainLoss: lossSum / examples };
}

/** Each number summed over the ranks (in float64: counts stay exact). */
function sumOverRanks(group: ProcessGroup, xs: number[]): number[] {
  return tidy(() => {
    const t = tensor(xs, [xs.length], "float64");
    group.allReduce([t], "sum");
    return toArray(t);
  });
}
