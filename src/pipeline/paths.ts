// The run folder layout: runs/NAME/{config.json, metrics/, checkpoints/, generated/, eval/, report/, stages/}.
import { basename, join, resolve } from "node:path";
import { stepsDirOf } from "../train/metrics-log.js";

export interface RunPaths {
  root: string;
  config: string;
  metrics: (name: string) => string;
  metricsDir: string;
  /** metrics/steps/: each metrics file's step losses, by the same name (train/metrics-log.ts). */
  stepsDir: string;
  checkpoints: string;
  generated: string;
  clipIndex: string;
  /**
   * A clip file named in clips.json: generated/ holds them all, so only the name counts, and the folder
   * can be moved (clips.json held absolute paths before, valid only where the run was written).
   */
  clip: (stored: string) => string;
  eval: (name: string) => string;
  report: string;
  stages: string;
  /** stages/progress.json: where a running run is (pipeline/progress-file.ts). */
  progress: string;
}

export function runPaths(path: string): RunPaths {
  const root = resolve(path);
  return {
    root,
    config: join(root, "config.json"),
    metrics: (name) => join(root, "metrics", `${name}.jsonl`),
    metricsDir: join(root, "metrics"),
    stepsDir: stepsDirOf(join(root, "metrics")),
    checkpoints: join(root, "checkpoints"),
    generated: join(root, "generated"),
    clipIndex: join(root, "generated", "clips.json"),
    clip: (stored) => join(root, "generated", basename(stored)),
    eval: (name) => join(root, "eval", `${name}.json`),
    report: join(root, "report"),
    stages: join(root, "stages"),
    progress: join(root, "stages", "progress.json"),
  };
}
