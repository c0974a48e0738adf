// The process environment genrelab's engine runs best in, measured on Debian (see docs/ARCHITECTURE.md):
// tcmalloc preloaded (glibc malloc made a classifier step ~4x slower and RSS grow without bound) and
// OpenBLAS' OpenMP variant ahead of whatever BLAS the alternatives system picked (reference BLAS: ~8x slower).
import { existsSync } from "node:fs";

const LIBDIR = "/usr/lib/x86_64-linux-gnu";
export const TCMALLOC = `${LIBDIR}/libtcmalloc_minimal.so.4`;
export const OPENBLAS_OPENMP = `${LIBDIR}/openblas-openmp`;
const MARK = "GENRELAB_NATIVE_ENV";

/**
 * V8 flags for genrelab processes: V8's background threads (concurrent GC and compilation) compete
 * with libtorch's OpenMP threads for the 2 cores; without them a 2-thread classifier step was ~10 %
 * faster (measured with bench/workloads.js).
 */
export const NODE_FLAGS = ["--single-threaded"];

/** True when this process was not started with the tuned environment and may re-exec itself. */
export function needsRelaunch(env = process.env) {
  return env[MARK] !== "1" && env.GENRELAB_NO_RELAUNCH !== "1";
}

/** A copy of `env` with tcmalloc preloaded and OpenBLAS-openmp first on the library path, where installed. */
export function nativeEnv(env = process.env) {
  const out = { ...env, [MARK]: "1" };
  const prepend = (key, value) => {
    const parts = (out[key] ?? "").split(":").filter(Boolean);
    if (!parts.includes(value)) out[key] = [value, ...parts].join(":");
  };
  if (existsSync(TCMALLOC) && env.GENRELAB_NO_TCMALLOC !== "1") prepend("LD_PRELOAD", TCMALLOC);
  if (existsSync(OPENBLAS_OPENMP)) prepend("LD_LIBRARY_PATH", OPENBLAS_OPENMP);
  return out;
}
