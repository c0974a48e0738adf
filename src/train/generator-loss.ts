// The generator's training objective: the study's sample MSE, a multi-resolution STFT loss, or both,
// on one step (teacher forcing) or on K free-running steps from a real window; multiple-choice learning
// for a model with a noise input; the lag distribution of a model with the delay path.
import { multiResolutionStftLoss, mulawEncode } from "../audio/index.js";
import { lagTargets } from "../models/delay.js";
import type { Generator } from "../models/generator.js";
import { sampleCategorical } from "../models/sampling.js";
import { F, arange, cat, noGrad, type Tensor } from "../torch/index.js";
import type { GeneratorTrainConfig } from "./generator-config.js";

/** Loss of one model output against target samples [B, n]: the configured mix, or cross-entropy on mu-law levels. */
export function lossOf(model: Generator, y: Tensor, target: Tensor, loss: GeneratorTrainConfig["loss"]): Tensor {
  if (model.config.head === "mulaw") return F.crossEntropy(y.reshape(-1, y.size(2)), mulawEncode(target).reshape(-1));
  return mixedLoss(y, target, loss);
}

/** The configured mix of sample MSE and spectral loss of y [B, n] against target: a scalar, or [B] per row. */
function mixedLoss(y: Tensor, target: Tensor, loss: GeneratorTrainConfig["loss"], perRow = false): Tensor {
  const mse = loss.mse > 0 ? (perRow ? y.sub(target).square().mean(1) : F.mseLoss(y, target)).mul(loss.mse) : null;
  if (!loss.spectral) return mse!;
  const spectral = multiResolutionStftLoss(y, target, { fftSizes: loss.fftSizes, envelope: loss.envelope, perRow }).mul(
    loss.spectral,
  );
  return mse ? mse.add(spectral) : spectral;
}

/**
 * Runs the model `steps` times from windows x [B, inputSamples], each time on its own previous output
 * (gradients flow through every step): the concatenated outputs, [B, steps × outputSamples].
 */
export function rollout(model: Generator, x: Tensor, steps: number, genre?: Tensor): Tensor {
  const n = model.config.outputSamples;
  const outputs: Tensor[] = [];
  let window = x;
  for (let k = 0; k < steps; k++) {
    const y = model.forward(window, genre);
    outputs.push(y);
    if (k + 1 < steps) window = cat([window.slice(1, n), y], 1);
  }
  return steps === 1 ? outputs[0]! : cat(outputs, 1);
}

/**
 * The training loss of windows x [B, inputSamples] against what really followed them, y [B, K × n]:
 * the loss of a K-step rollout; or, with `choices` > 1 (a model with a noise input), multiple-choice
 * learning (as IMLE): each step draws `choices` noise inputs, keeps per row the output nearest the real
 * chunk, puts the loss on it alone and continues from it. Each draw then learns one plausible
 * continuation instead of the average of all, which for music with uncertain notes and onsets is a blur.
 */
export function trainingLoss(
  model: Generator,
  x: Tensor,
  y: Tensor,
  c: Pick<GeneratorTrainConfig, "rollout" | "choices" | "loss">,
  genre?: Tensor,
): Tensor {
  if (model.delay) return delayLoss(model, x, y, c, genre);
  if (c.choices <= 1) return lossOf(model, rollout(model, x, c.rollout, genre), y, c.loss);
  const n = model.config.outputSamples;
  const rows = x.size(0);
  const offsets = arange(0, rows, 1, "int64");
  let window = x;
  let total: Tensor | undefined;
  for (let k = 0; k < c.rollout; k++) {
    const target = y.slice(1, k * n, (k + 1) * n);
    // draw-major: row d·B + b
    const out = model.head(model.features(window, genre).repeat(c.choices, 1), window.repeat(c.choices, 1));
    const losses = mixedLoss(out, target.repeat(c.choices, 1), c.loss, true).view(c.choices, rows);
    const best = noGrad(() => losses.argmin(0));
    const step = losses.gather(0, best.unsqueeze(0)).mean();
    total = total ? total.add(step) : step;
    if (k + 1 < c.rollout)
      window = cat([window.slice(1, n), out.indexSelect(0, best.mul(rows).add(offsets).to("int64"))], 1);
  }
  return total!.div(c.rollout);
}

/**
 * A model with the delay path: at each step the lag distribution learns the soft target of lagTargets
 * (cross-entropy), and the output layer, if any, refines the best lag's copy (the configured loss);
 * a rollout then continues from a lag sampled from the model's own distribution, as generation does.
 */
function delayLoss(
  model: Generator,
  x: Tensor,
  y: Tensor,
  c: Pick<GeneratorTrainConfig, "rollout" | "loss">,
  genre?: Tensor,
): Tensor {
  const n = model.config.outputSamples;
  let window = x;
  let total: Tensor | undefined;
  for (let k = 0; k < c.rollout; k++) {
    const target = y.slice(1, k * n, (k + 1) * n);
    const h = model.features(window, genre);
    const logits = model.lagLogits(h, window);
    const soft = lagTargets(window, target, model.config);
    let step = soft.mul(logits.logSoftmax(1)).sum(1).mean().neg();
    if (model.fc) step = step.add(lossOf(model, model.head(h, window, { lags: soft.argmax(1) }), target, c.loss));
    total = total ? total.add(step) : step;
    if (k + 1 < c.rollout) {
      const own = model.head(h, window, { lags: noGrad(() => sampleCategorical(logits, 1)) });
      window = cat([window.slice(1, n), own], 1);
    }
  }
  return total!.div(c.rollout);
}
