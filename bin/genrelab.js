#!/usr/bin/env node
// genrelab launcher: re-executes itself once with the tuned native environment (tcmalloc,
// OpenBLAS-openmp), then runs the CLI. GENRELAB_NO_RELAUNCH=1 skips the re-exec.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS, nativeEnv, needsRelaunch } from "./native-env.js";

if (needsRelaunch()) {
  const self = fileURLToPath(import.meta.url);
  const args = process.argv.slice(2);
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, self, ...args], {
    stdio: "inherit",
    env: { ...nativeEnv(), GENRELAB_PARENT_PID: String(process.pid) }, // the child dies with this process
  });
  // Ctrl-C reaches the child through the terminal's process group; SIGTERM is passed on.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    if (signal) {
      const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : null;
      const resumable = ["run", "train-classifier", "train-generator"].includes(args[0]);
      const kept = resumable
        ? `; finished epochs and stages are kept${out ? ` in ${out}` : ""}: add --resume to continue`
        : "";
      process.stderr.write(`\ngenrelab: stopped by ${signal}${kept}\n`);
      process.exit(128 + (osConstants.signals[signal] ?? 0)); // the shell's convention: 130 for Ctrl-C, 143 for SIGTERM
    }
    process.exit(code ?? 1);
  });
} else {
  const main = new URL("../dist/src/cli/main.js", import.meta.url);
  if (!existsSync(fileURLToPath(main))) {
    console.error("genrelab: not built yet (dist/ is missing); run `make build`");
    process.exit(1);
  }
  await import(main.href);
}
