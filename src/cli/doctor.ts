// `genrelab doctor`: what engine this machine runs genrelab on, and what to fix.
import { availableParallelism } from "node:os";
import { runtimeInfo, type RuntimeInfo } from "../torch/index.js";

export function formatDoctor(info: RuntimeInfo): string {
  const rows: [string, string][] = [
    ["libtorch", `${info.torchVersion} (oneDNN/mkldnn ${info.mkldnn ? "yes" : "no"})`],
    ["BLAS", `${info.blas.kind}${info.blas.path ? `  ${info.blas.path}` : ""}`],
    ["allocator", info.allocator],
    ["threads", `intra-op ${info.threads}, inter-op ${info.interopThreads}, cores ${availableParallelism()}`],
    ["node", process.version],
  ];
  const lines = rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`);
  lines.push(
    ...(info.warnings.length
      ? info.warnings.map((w) => `  warning: ${w}`)
      : ["  ok: optimised BLAS and tcmalloc are active"]),
  );
  return lines.join("\n");
}

export function doctor(options: { json?: boolean; strict?: boolean }): number {
  const info = runtimeInfo();
  console.log(options.json ? JSON.stringify(info, null, 2) : `genrelab doctor\n${formatDoctor(info)}`);
  return options.strict && info.warnings.length ? 1 : 0;
}
