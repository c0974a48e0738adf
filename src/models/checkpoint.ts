// Reading checkpoints: three files per checkpoint (weights, optimizer state, JSON sidecar), the sidecar
// written last so that its presence marks a complete checkpoint. Writing them is training's (train/checkpoint.ts).
import { existsSync, readFileSync } from "node:fs";
import { assertFinite, loadSafetensors, type Tensor } from "../torch/index.js";

export interface CheckpointFiles {
  weights: string;
  optimizer: string;
  sidecar: string;
}

/** The three files of checkpoint `base` (a path without extension). */
export const checkpointFiles = (base: string): CheckpointFiles => ({
  weights: `${base}.safetensors`,
  optimizer: `${base}.optim.safetensors`,
  sidecar: `${base}.json`,
});

/** Accepts a checkpoint given as its base path or any of its files. */
export function checkpointBase(path: string): string {
  return path.replace(/(\.optim)?\.(safetensors|json)$/, "");
}

export interface LoadedCheckpoint<M> {
  meta: M;
  weights: Map<string, Tensor>;
  optimizer: () => Map<string, Tensor> | undefined;
}

/** Loads checkpoint `path`; `check` validates the sidecar (throwing names the problem) before any weight is read. */
export function loadCheckpoint<M>(path: string, check?: (meta: unknown, sidecar: string) => M): LoadedCheckpoint<M> {
  const f = checkpointFiles(checkpointBase(path));
  if (!existsSync(f.sidecar)) {
    throw new Error(`${f.sidecar}: checkpoint not found or incomplete (its .json sidecar is missing)`);
  }
  let meta: M;
  try {
    meta = JSON.parse(readFileSync(f.sidecar, "utf8")) as M;
  } catch {
    throw new Error(`${f.sidecar}: not valid JSON (damaged checkpoint)`);
  }
  if (check) meta = check(meta, f.sidecar);
  const weights = loadSafetensors(f.weights).tensors;
  try {
    for (const [name, t] of weights) assertFinite(t, `${f.weights}: ${name}`);
  } catch (err) {
    weights.forEach((t) => t.dispose());
    throw err;
  }
  return {
    meta,
    weights,
    optimizer: () => (existsSync(f.optimizer) ? loadSafetensors(f.optimizer).tensors : undefined),
  };
}

export function checkpointExists(base: string): boolean {
  return existsSync(checkpointFiles(base).sidecar);
}
