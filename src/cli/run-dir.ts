// The run folder layout shared by every command: runs/NAME/{config.json, metrics/, checkpoints/,
// generated/, eval/, report/}.
import { join, resolve } from "node:path";

export interface RunDir {
  root: string;
  config: string;
  metrics: (name: string) => string;
  checkpoints: string;
  generated: string;
  eval: (name: string) => string;
  report: string;
}

export function runDir(path: string): RunDir {
  const root = resolve(path);
  return {
    root,
    config: join(root, "config.json"),
    metrics: (name) => join(root, "metrics", `${name}.jsonl`),
    checkpoints: join(root, "checkpoints"),
    generated: join(root, "generated"),
    eval: (name) => join(root, "eval", `${name}.json`),
    report: join(root, "report"),
  };
}
