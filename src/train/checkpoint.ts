// Checkpoints: model weights and optimizer state as safetensors (PyTorch names) plus a JSON sidecar
// with everything needed to rebuild and continue, committed together (see saveCheckpoint).
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { assertFinite, loadSafetensors, saveSafetensors, tidy, type Tensor } from "../torch/index.js";
import { writeJsonAtomic } from "../util/fs.js";

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

// A save writes the new files beside the old ones (".next"), the sidecar last, then renames them into
// place, the sidecar last. A kill before the sidecar's ".next" exists leaves the old checkpoint whole;
// a kill after it is finished by `completeCheckpoint`. So weights, optimizer state and sidecar always
// belong to one epoch (each file alone is also atomic).
const NEXT = ".next";

export function saveCheckpoint<M extends object>(base: string, weights: ReadonlyMap<string, Tensor>, optimizer: (() => Map<string, Tensor>) | null, meta: M): void {
  const f = checkpointFiles(base);
  const files = [f.weights, f.optimizer, f.sidecar];
  for (const file of files) rmSync(file + NEXT, { force: true }); // an earlier save's leftovers
  saveSafetensors(f.weights + NEXT, weights, { format: "pt" });
  if (optimizer) tidy(() => saveSafetensors(f.optimizer + NEXT, optimizer()));
  writeJsonAtomic(f.sidecar + NEXT, meta);
  completeCheckpoint(base);
}

/**
 * Finishes a save that was stopped: a complete set of ".next" files (its sidecar exists) is renamed
 * into place, an incomplete one removed. Called by the writer only (before it resumes).
 */
export function completeCheckpoint(base: string): void {
  const f = checkpointFiles(base);
  const files = [f.weights, f.optimizer, f.sidecar];
  const complete = existsSync(f.sidecar + NEXT);
  for (const file of files) {
    if (!existsSync(file + NEXT)) continue;
    if (complete) renameSync(file + NEXT, file);
    else rmSync(file + NEXT, { force: true });
  }
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
  return { meta, weights, optimizer: () => (existsSync(f.optimizer) ? loadSafetensors(f.optimizer).tensors : undefined) };
}

export function checkpointExists(base: string): boolean {
  return existsSync(checkpointFiles(base).sidecar);
}

interface Restorable {
  loadStateDict(state: ReadonlyMap<string, Tensor>): void;
}

/**
 * Restores a model and its optimizer from checkpoint `base` when `resume` is set and it exists;
 * returns its sidecar (whose `epoch` is the last finished one), or null to start afresh.
 */
export function resumeTraining<M>(base: string, resume: boolean | undefined, model: Restorable, optimizer: Restorable): M | null {
  if (resume) completeCheckpoint(base);
  if (!resume || !checkpointExists(base)) return null;
  const ck = loadCheckpoint<M>(base);
  model.loadStateDict(ck.weights);
  const state = ck.optimizer();
  if (state) optimizer.loadStateDict(state);
  [...ck.weights.values(), ...(state?.values() ?? [])].forEach((t) => t.dispose());
  return ck.meta;
}
