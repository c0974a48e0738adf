// Running genrelab's own CLI from the experiment scripts, as a user would, with its output in a log file.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
