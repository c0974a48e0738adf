// Collectives across processes and machines on libtorch's c10d ProcessGroupGloo (torch.distributed's
// CPU backend), joined through a TCPStore that rank 0 serves. allReduce packs tensors into buckets of a
// few MB, as PyTorch's DistributedDataParallel does, so a model's many small gradients cost few calls.
import { native } from "./binding.js";
import { noGrad, tidy } from "./scope.js";
import { cat } from "./create.js";
import type { Tensor } from "./tensor.js";

export interface ProcessGroupOptions {
  /** Rank 0's address and the port of its store (torchrun's MASTER_ADDR, MASTER_PORT). */
  host: string;
  port: number;
  worldSize: number;
  rank: number;
  /** Rendezvous and per-collective timeout: a missing or dead peer is an error by then (default 60 s). */
  timeoutMs?: number;
  /** The network interface to run the collectives on (e.g. "eth0"; Gloo's GLOO_SOCKET_IFNAME). */
  iface?: string;
  /** Or this machine's address to run them on (default: the address its hostname resolves to). */
  bind?: string;
}

export type Reduction = "sum" | "avg" | "max" | "min";

interface NativeGroup {
  allReduce(tensors: Tensor[], op: string): void;
  sumAcrossRanks(t: Tensor): Tensor;
  broadcast(tensors: Tensor[], root: number): void;
  barrier(): void;
  destroy(): void;
}

export const defaultBucketBytes = 4 * 2 ** 20;

export class ProcessGroup {
  readonly rank: number;
  readonly worldSize: number;
  readonly #pg: NativeGroup;
  readonly #where: string;

  /** Joins the group: returns once all `worldSize` ranks have, or throws after the timeout. */
  constructor(o: ProcessGroupOptions) {
    if (!Number.isInteger(o.worldSize) || o.worldSize < 1)
      throw new RangeError(`process group: world size must be an integer ≥ 1, got ${o.worldSize}`);
    if (!Number.isInteger(o.rank) || o.rank < 0 || o.rank >= o.worldSize)
      throw new RangeError(`process group: rank must be in 0..${o.worldSize - 1}, got ${o.rank}`);
    this.rank = o.rank;
    this.worldSize = o.worldSize;
    this.#where = `process group (rank ${o.rank} of ${o.worldSize}, store ${o.host}:${o.port})`;
    this.#pg = this.#call(() => new native.ProcessGroup({ ...o, timeoutMs: o.timeoutMs ?? 60_000 }) as NativeGroup);
  }

  /** c10d's own message, prefixed with which rank and group it came from. */
  #call<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      throw new Error(`${this.#where}: ${(err as Error).message.split("\n")[0]}`);
    }
  }

  /** In place, element-wise across ranks ("avg": the sum over the world size), in buckets of ≤ `bucketBytes`. */
  allReduce(tensors: readonly Tensor[], op: Reduction = "sum", bucketBytes = defaultBucketBytes): void {
    this.#bucketed(tensors, bucketBytes, (flat) => {
      this.#call(() => this.#pg.allReduce([flat], op === "avg" ? "sum" : op));
      if (op === "avg") flat.copy_(flat.div(this.worldSize));
    });
  }

  /**
   * A new tensor, `t` summed over the ranks, that autograd follows: the gradient each rank's `t`
   * receives is the sum of all ranks' output gradients (statistics shared by every rank's loss).
   */
  sumAcrossRanks(t: Tensor): Tensor {
    return this.#call(() => this.#pg.sumAcrossRanks(t));
  }

  /** Every rank's `tensors` become rank `root`'s (e.g. rank 0's initial weights), in buckets. */
  broadcast(tensors: readonly Tensor[], root = 0, bucketBytes = defaultBucketBytes): void {
    this.#bucketed(tensors, bucketBytes, (flat) => this.#call(() => this.#pg.broadcast([flat], root)));
  }

  /**
   * Runs `collective` on one flat tensor per bucket and copies the result back. (A list of several
   * tensors means something else to c10d: one tensor per device of this rank.)
   */
  #bucketed(tensors: readonly Tensor[], bucketBytes: number, collective: (flat: Tensor) => void): void {
    noGrad(() => {
      for (const bucket of buckets(tensors, bucketBytes)) {
        tidy(() => {
          const one = bucket.length === 1 && bucket[0]!.isContiguous();
          const flat = one ? bucket[0]! : cat(bucket.map((t) => t.reshape(-1)));
          collective(flat);
          if (one) return;
          let at = 0;
          for (const t of bucket) {
            t.copy_(flat.slice(0, at, at + t.numel).reshape(t.shape));
            at += t.numel;
          }
        });
      }
    });
  }

  barrier(): void {
    this.#call(() => this.#pg.barrier());
  }

  /** Leaves the group; the other ranks' next collective fails. */
  destroy(): void {
    this.#pg.destroy();
  }
}

/** Consecutive tensors of one dtype grouped up to `bytes` each (a larger tensor is a bucket of its own). */
function buckets(tensors: readonly Tensor[], bytes: number): Tensor[][] {
  const out: Tensor[][] = [];
  let size = 0;
  for (const t of tensors) {
    const n = t.numel * bytesPer(t);
    const last = out[out.length - 1];
    if (last && size + n <= bytes && last[0]!.dtype === t.dtype) {
      last.push(t);
      size += n;
    } else {
      out.push([t]);
      size = n;
    }
  }
  return out;
}

const bytesPer = (t: Tensor): number =>
  t.dtype === "float64" || t.dtype === "int64"
    ? 8
    : t.dtype === "float32" || t.dtype === "int32"
      ? 4
      : t.dtype === "bool" || t.dtype === "uint8"
        ? 1
        : 2;
