// `genrelab launch --nproc N -- <command …>`: N local ranks of a training command, started as torchrun
// starts PyTorch's (WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT). Signals reach every rank;
// when one fails the others are stopped and launch exits with its code.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../util/net.js";

const DISTRIBUTED = ["train-classifier", "train-generator", "run"];
const cli = fileURLToPath(new URL("../../../bin/genrelab.js", import.meta.url));

/** Lines of a rank's output with its rank in front. */
function prefixed(stream: NodeJS.ReadableStream, rank: number, out: NodeJS.WriteStream): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (d: string) => {
    const lines = (rest + d).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) out.write(`rank ${rank}: ${l}\n`);
  });
  stream.on("end", () => rest && out.write(`rank ${rank}: ${rest}\n`));
}

export async function launchCommand(
  command: string[],
  o: { nproc: number; port?: number; timeout?: number },
): Promise<void> {
  if (!DISTRIBUTED.includes(command[0] ?? "")) {
    throw new Error(
      `launch: trains across processes with ${DISTRIBUTED.slice(0, -1).join(", ")} or ${DISTRIBUTED.at(-1)}; got ` +
        `'${command[0] ?? ""}' (e.g. genrelab launch --nproc 2 -- train-generator --data demo --out runs/g)`,
    );
  }
  const port = o.port ?? (await freePort());
  const ranks: ChildProcess[] = [];
  const failed: number[] = []; // the first failing rank's exit code
  const stopAll = (signal: NodeJS.Signals) =>
    ranks.forEach((r) => r.exitCode === null && r.signalCode === null && r.kill(signal));
  process.on("SIGINT", () => stopAll("SIGINT"));
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  const exits = Array.from({ length: o.nproc }, (_, rank) => {
    const env = {
      ...process.env,
      WORLD_SIZE: String(o.nproc),
      RANK: String(rank),
      LOCAL_RANK: String(rank),
      MASTER_ADDR: "127.0.0.1",
      MASTER_PORT: String(port),
      GENRELAB_PARENT_PID: String(process.pid),
      ...(o.timeout ? { GENRELAB_DIST_TIMEOUT: String(o.timeout) } : {}),
    };
    const child = spawn(process.execPath, [cli, ...command], {
      env,
      stdio: ["ignore", rank === 0 ? "inherit" : "pipe", "pipe"],
    });
    if (child.stdout) prefixed(child.stdout, rank, process.stdout);
    prefixed(child.stderr!, rank, process.stderr);
    ranks.push(child);
    return new Promise<void>((ok) =>
      child.on("exit", (code, signal) => {
        if ((code !== 0 || signal) && !failed.length) {
          failed.push(code ?? 1);
          process.stderr.write(
            `genrelab launch: rank ${rank} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; ` +
              "stopping the other ranks\n",
          );
          stopAll("SIGTERM");
        }
        ok();
      }),
    );
  });
  await Promise.all(exits);
  if (failed.length) process.exitCode = failed[0] || 1;
}
