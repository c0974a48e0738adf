// Writing checkpoints: model weights and optimizer state as safetensors (PyTorch names) plus a JSON
// sidecar with everything needed to rebuild and continue, committed together (see saveCheckpoint).
// Reading them is the models' room (models/checkpoint.ts).
import { existsSync, renameSync, rmSync } from "node:fs";
import { checkpointExists, checkpointFiles, loadCheckpoint } from "../models/checkpoint.js";
import { saveSafetensors, tidy, type Tensor } from "../torch/index.js";
import { writeJsonAtomic } from "../util/fs.js";

// A save writes the new files beside the old ones (".next"), the sidecar last, then renames them into
// place, the sidecar last. A kill before the sidecar's ".next" exists leaves the old checkpoint whole;
// a kill after it is finished by `completeCheckpoint`. So weights, optimizer state and sidecar always
// belong to one epoch (each file alone is also atomic).
const NEXT = ".next";

export function saveCheckpoint<M extends object>(
  base: string,
  weights: ReadonlyMap<string, Tensor>,
  optimizer: (() => Map<string, Tensor>) | null,
  meta: M,
): void {
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

interface Restorable {
  loadStateDict(state: ReadonlyMap<string, Tensor>): void;
}

/**
 * Restores a model and its optimizer from checkpoint `base` when `resume` is set and it exists;
 * returns its sidecar (whose `epoch` is the last finished one), or null to start afresh.
 */
export function resumeTraining<M>(
  base: string,
  resume: boolean | undefined,
  model: Restorable,
  optimizer: Restorable,
): M | null {
  if (resume) completeCheckpoint(base);
  if (!resume || !checkpointExists(base)) return null;
  const ck = loadCheckpoint<M>(base);
  model.loadStateDict(ck.weights);
  const state = ck.optimizer();
  if (state) optimizer.loadStateDict(state);
  [...ck.weights.values(), ...(state?.values() ?? [])].forEach((t) => t.dispose());
  return ck.meta;
}
