#!/usr/bin/env node
// genrelab launcher: re-executes itself once with the tuned native environment (tcmalloc,
// OpenBLAS-openmp), then runs the CLI. GENRELAB_NO_RELAUNCH=1 skips the re-exec.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS, nativeEnv, needsRelaunch } from "./native-env.js";

if (needsRelaunch()) {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: nativeEnv(),
  });
  // Ctrl-C reaches the child through the terminal's process group; let it finish its cleanup.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
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
