// Loads the native libtorch addon. Everything typed lives in tensor.ts / functional.ts;
// this file only finds the binary and says clearly what to do when it is missing.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The addon's functions are untyped here; tensor.ts and functional.ts give each its types.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type NativeFn = (...args: any[]) => any;
export interface NativeBinding {
  Tensor: { prototype: object };
  Optimizer: new (kind: string, params: unknown[], options: object) => NativeOptimizer;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  [name: string]: any;
}
export interface NativeOptimizer {
  step(): void;
  zeroGrad(): void;
  lr: number;
  getState(): (null | { step: number; expAvg: unknown; expAvgSq: unknown; maxExpAvgSq?: unknown })[];
  setState(state: unknown[]): void;
}

function addonPath(): string {
  if (process.env.GENRELAB_ADDON) return process.env.GENRELAB_ADDON;
  return fileURLToPath(new URL("../../../native/build/Release/genrelab_torch.node", import.meta.url));
}

function load(): NativeBinding {
  const path = addonPath();
  if (!existsSync(path)) {
    throw new Error(`genrelab: the native libtorch addon is not built (${path} is missing); run \`make build\``);
  }
  try {
    return createRequire(import.meta.url)(path) as NativeBinding;
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(
      `genrelab: cannot load the native addon ${path}: ${why} (is libtorch-dev installed? run \`make build\`)`,
    );
  }
}

export const native: NativeBinding = load();
