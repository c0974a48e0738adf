// Data-parallel training on c10d (src/torch/dist.ts), started the way torchrun starts PyTorch's: each
// process reads WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR and MASTER_PORT. Every rank holds the whole
// model; rank 0's initial weights are broadcast, each rank computes the gradient of its share of the
// global batch, the gradients are averaged before every optimizer step, and only rank 0 writes.
import { ProcessGroup, tensor, toArray, tidy, zeros, type nn } from "../torch/index.js";

export interface DistEnv {
  worldSize: number;
  rank: number;
  localRank: number;
  host: string;
  port: number;
  timeoutMs: number;
}

const int = (env: NodeJS.ProcessEnv, name: string, min: number, max: number): number => {
  const v = env[name] ?? "";
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new Error(`${name}=${v}: expected an integer from ${min} to ${max}`);
  return n;
};

/** The torchrun variables, or null when WORLD_SIZE is unset or 1 (one process, nothing to join). */
export function distEnvFrom(env: NodeJS.ProcessEnv = process.env): DistEnv | null {
  if (env.WORLD_SIZE === undefined || env.WORLD_SIZE === "1") return null;
  const worldSize = int(env, "WORLD_SIZE", 1, 4096);
  const rank = int(env, "RANK", 0, worldSize - 1);
  if (!env.MASTER_ADDR) throw new Error("MASTER_ADDR: rank 0's address is needed when WORLD_SIZE > 1");
  return {
    worldSize,
    rank,
    localRank: env.LOCAL_RANK === undefined ? rank : int(env, "LOCAL_RANK", 0, 4095),
    host: env.MASTER_ADDR,
    port: int(env, "MASTER_PORT", 1, 65535),
    timeoutMs: 1000 * (env.GENRELAB_DIST_TIMEOUT === undefined ? 60 : int(env, "GENRELAB_DIST_TIMEOUT", 1, 86_400)),
  };
}

/** Joins the group the environment describes (null for one process). */
export function joinFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessGroup | null {
  const d = distEnvFrom(env);
  if (!d) return null;
  // Collectives run over the address rank 0 is reached at when it is this machine's loopback.
  const local = d.host === "127.0.0.1" || d.host === "localhost";
  return new ProcessGroup({
    host: d.host,
    port: d.port,
    worldSize: d.worldSize,
    rank: d.rank,
    timeoutMs: d.timeoutMs,
    bind: local ? "127.0.0.1" : undefined,
    iface: env.GLOO_SOCKET_IFNAME,
  });
}

/** Every rank takes rank 0's weights and buffers. */
export function syncModel(group: ProcessGroup, model: nn.Module): void {
  group.broadcast([...model.stateDict().values()], 0);
}

/** Rank 0's buffers (batch-norm statistics, which each rank gathers from its own share) on every rank. */
export function syncBuffers(group: ProcessGroup, model: nn.Module): void {
  const buffers = model.namedBuffers().map(([, t]) => t);
  if (buffers.length) group.broadcast(buffers, 0);
}

/** Rows [rank·n, (rank+1)·n) of a global batch of worldSize·n rows. */
export const shardRange = (group: ProcessGroup | null, rows: number): [number, number] => {
  if (!group) return [0, rows];
  if (rows % group.worldSize)
    throw new Error(`a global batch of ${rows} rows does not split over ${group.worldSize} ranks`);
  const n = rows / group.worldSize;
  return [group.rank * n, (group.rank + 1) * n];
};

/**
 * Rank 0's value (plain JSON) on every rank: its settings and decisions (which stages are left), so that
 * the ranks agree without reading one another's files. Other ranks pass null.
 */
export function broadcastJson<T>(group: ProcessGroup, value: T | null): T {
  return tidy(() => {
    const bytes = group.rank === 0 ? new TextEncoder().encode(JSON.stringify(value)) : new Uint8Array();
    const length = tensor([bytes.length], [1], "int64");
    group.broadcast([length], 0);
    const n = toArray(length)[0]!;
    const data = group.rank === 0 ? tensor(bytes, [n], "uint8") : zeros([n], "uint8");
    group.broadcast([data], 0);
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(toArray(data)))) as T;
  });
}
