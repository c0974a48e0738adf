// `npm run bench`: genrelab against PyTorch on the same machine, same workloads and shapes, one process
// at a time. Two PyTorch baselines: "default" (Debian's reference BLAS, glibc malloc — what
// `apt install python3-torch` gives) and "tuned" (OpenBLAS-openmp and tcmalloc, as genrelab runs).
// Usage: node dist/bench/run.js [--iterations N] [--warmup N] [--threads 1,2] [--workloads a,b] [--json FILE]
//        [--no-default]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain JS module shared with the launcher
import { NODE_FLAGS, nativeEnv } from "../../bin/native-env.js";
import { writeJsonAtomic } from "../src/util/fs.js";
import { WORKLOADS } from "./workloads.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = "/usr/bin/python3";
const LIB = "/usr/lib/x86_64-linux-gnu";

interface Sample {
  ms: number;
  blas: string;
  allocator: string;
}

function args() {
  const a = process.argv.slice(2);
  const get = (flag: string): string | undefined => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    iterations: Number(get("--iterations") ?? 10),
    warmup: Number(get("--warmup") ?? 2),
    threads: (get("--threads") ?? "1,2").split(",").map(Number),
    workloads: get("--workloads")?.split(",") ?? [...WORKLOADS],
    json: get("--json"),
    withDefault: !a.includes("--no-default"),
  };
}

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv): Sample {
  const r = spawnSync(cmd, argv, { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Sample;
}

/** Default PyTorch: the reference BLAS first on the library path, no preload. */
function defaultEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LD_PRELOAD;
  env.LD_LIBRARY_PATH = `${LIB}/blas:${LIB}/lapack`;
  return env;
}

/** Classifier convolution FLOPs of one forward pass, batch 32 on 128×196 mels. */
function classifierFlops(): number {
  const chans = [1, 16, 32, 64, 128, 256];
  let [h, w] = [128, 196];
  let flops = 0;
  for (let i = 0; i < 5; i++) {
    flops += 2 * chans[i]! * chans[i + 1]! * 9 * h * w * 32;
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  return flops;
}

/** FP32 peak of `threads` cores: clock × (32 FLOPs/cycle with AVX2 FMA, 64 with AVX-512). */
function peakGflops(threads: number): number {
  const info = readFileSync("/proc/cpuinfo", "utf8");
  const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(info)?.[1] ?? 2000);
  const perCycle = /\bavx512f\b/.test(info) ? 64 : /\bfma\b/.test(info) ? 32 : 16;
  return (threads * mhz * perCycle) / 1000;
}

function main(): void {
  const o = args();
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import torch, torchaudio"]).status !== 0) {
    throw new Error("bench: needs Debian's python3-torch and python3-torchaudio (run `make bench-setup`)");
  }
  const tuned = nativeEnv({ ...process.env, GENRELAB_NO_RELAUNCH: "1" }) as NodeJS.ProcessEnv;
  const common = ["--iterations", String(o.iterations), "--warmup", String(o.warmup)];
  const rows: { workload: string; threads: number; def?: Sample; tun: Sample; gl: Sample }[] = [];
  for (const workload of o.workloads) {
    for (const threads of o.threads) {
      const t = ["--threads", String(threads)];
      process.stderr.write(`${workload}, ${threads} thread(s): `);
      const def = o.withDefault
        ? run(PYTHON, ["bench/reference.py", workload, ...t, ...common], defaultEnv())
        : undefined;
      const tun = run(PYTHON, ["bench/reference.py", workload, ...t, ...common], tuned);
      const gl = run(process.execPath, [...NODE_FLAGS, "dist/bench/workloads.js", workload, ...t, ...common], tuned);
      process.stderr.write(
        `PyTorch ${def ? `${def.ms.toFixed(0)} / ` : ""}${tun.ms.toFixed(0)} ms, genrelab ${gl.ms.toFixed(0)} ms\n`,
      );
      rows.push({ workload, threads, def, tun, gl });
    }
  }
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const gflops = (w: string, ms: number, threads: number): string => {
    if (w !== "c-train" && w !== "c-infer") return "";
    const g = (classifierFlops() * (w === "c-train" ? 3 : 1)) / (ms / 1000) / 1e9;
    return `${g.toFixed(1)} (${((100 * g) / peakGflops(threads)).toFixed(0)}% of peak)`;
  };
  const head = [
    "workload",
    "threads",
    "PyTorch default ms",
    "PyTorch tuned ms",
    "genrelab ms",
    "× default",
    "× tuned",
    "genrelab GFLOP/s",
  ];
  const table = rows.map((r) => [
    r.workload,
    String(r.threads),
    r.def ? fmt(r.def.ms) : "—",
    fmt(r.tun.ms),
    fmt(r.gl.ms),
    r.def ? (r.def.ms / r.gl.ms).toFixed(2) : "—",
    (r.tun.ms / r.gl.ms).toFixed(2),
    gflops(r.workload, r.gl.ms, r.threads),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  table.forEach((r) => console.log(line(r)));
  const first = rows[0]!;
  console.log(
    `\nratio = PyTorch ms / genrelab ms (> 1: genrelab faster); median of ${o.iterations} timed iterations after ` +
      `${o.warmup} warm-up.`,
  );
  console.log(
    `loaded: PyTorch default ${first.def ? `${first.def.blas} + ${first.def.allocator}` : "—"}; PyTorch tuned ` +
      `${first.tun.blas} + ${first.tun.allocator}; genrelab ${first.gl.blas} + ${first.gl.allocator}`,
  );
  if (o.json) {
    const out = rows.flatMap((r) => [
      ...(r.def
        ? [
            {
              workload: r.workload,
              threads: r.threads,
              baseline: "default",
              pytorch_ms: r.def.ms,
              genrelab_ms: r.gl.ms,
              ratio: r.def.ms / r.gl.ms,
            },
          ]
        : []),
      {
        workload: r.workload,
        threads: r.threads,
        baseline: "tuned",
        pytorch_ms: r.tun.ms,
        genrelab_ms: r.gl.ms,
        ratio: r.tun.ms / r.gl.ms,
      },
    ]);
    writeJsonAtomic(o.json, out);
  }
}

main();
