// The run folder layout: runs/NAME/{config.json, metrics/, checkpoints/, generated/, eval/, report/, stages/}.
import { join, resolve } from "node:path";
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
    eval: (name) => join(root, "eval", `${name}.json`),
    report: join(root, "report"),
    stages: join(root, "stages"),
    progress: join(root, "stages", "progress.json"),
  };
}
