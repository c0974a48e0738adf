// Running genrelab's own CLI from the experiment scripts, as a user would, with its output in a log file.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GeneratedEvaluation } from "../src/eval/evaluate.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "bin", "genrelab.js");

/** Runs `genrelab argv…`; its output goes to `log`; a non-zero exit rejects, naming the log. */
export function genrelab(argv: string[], log: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...argv], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      writeFileSync(log, out);
      if (code === 0) done();
      else fail(new Error(`genrelab ${argv.join(" ")} failed (exit ${code}); see ${log}`));
    });
  });
}

/** The value after `name` among the arguments, if it is there. */
export function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The one judge of the experiments under `out`: the classifier experiment:generator trains first. */
export const judgeOf = (out: string): string => join(out, "classifier", "checkpoints", "classifier.best");

/** Judges the clips in `dir` (`genrelab evaluate --clips`), writing the evaluation to `${dir}.json`. */
export async function judgeClips(judge: string, dir: string): Promise<GeneratedEvaluation> {
  await genrelab(
    ["evaluate", judge, "--clips", dir, "--data", "demo", "--out", `${dir}.json`, "--quiet"],
    `${dir}.log`,
  );
  return JSON.parse(readFileSync(`${dir}.json`, "utf8")) as GeneratedEvaluation;
}
