// What engine this process really runs on: libtorch version, BLAS and allocator actually loaded,
// thread settings. Read from /proc/self/maps, not guessed from the package list.
import { readFileSync } from "node:fs";
import { native } from "./binding.js";

export interface RuntimeInfo {
  torchVersion: string;
  blas: { kind: "openblas-openmp" | "openblas-pthread" | "openblas" | "reference" | "mkl" | "unknown"; path: string };
  allocator: "tcmalloc" | "jemalloc" | "glibc";
  threads: number;
  interopThreads: number;
  mkldnn: boolean;
  warnings: string[];
}

function loadedLibraries(): string[] {
  try {
    const maps = readFileSync("/proc/self/maps", "utf8");
    return [
      ...new Set(
        maps
          .split("\n")
          .map((l) => l.split(/\s+/)[5] ?? "")
          .filter((p) => p.endsWith(".so") || /\.so\./.test(p)),
      ),
    ];
  } catch {
    return [];
  }
}

/** Classifies a BLAS library path (Debian's alternatives folders name the variant). */
export function blasKind(path: string): RuntimeInfo["blas"]["kind"] {
  if (/openblas-openmp/.test(path)) return "openblas-openmp";
  if (/openblas-pthread/.test(path)) return "openblas-pthread";
  if (/openblas/.test(path)) return "openblas";
  if (/mkl/.test(path)) return "mkl";
  if (/\/blas\/|libblas\.so/.test(path)) return "reference";
  return "unknown";
}

export function runtimeInfo(): RuntimeInfo {
  const libs = loadedLibraries();
  const blasPath = libs.find((p) => /openblas|mkl_rt|libmkl/.test(p)) ?? libs.find((p) => /libblas\.so/.test(p)) ?? "";
  const allocator = libs.some((p) => /tcmalloc/.test(p))
    ? "tcmalloc"
    : libs.some((p) => /jemalloc/.test(p))
      ? "jemalloc"
      : "glibc";
  const build = native.buildInfo() as { torchVersion: string; mkldnn: boolean };
  const info: RuntimeInfo = {
    torchVersion: build.torchVersion,
    blas: { kind: blasPath ? blasKind(blasPath) : "unknown", path: blasPath },
    allocator,
    threads: native.getNumThreads(),
    interopThreads: native.getNumInteropThreads(),
    mkldnn: build.mkldnn,
    warnings: [],
  };
  if (info.blas.kind === "reference") {
    info.warnings.push(
      "the reference (netlib) BLAS is loaded: training is ~8x slower; install libopenblas0-openmp (make build does)",
    );
  }
  if (info.blas.kind === "openblas-pthread") {
    info.warnings.push(
      "OpenBLAS pthread variant loaded: it over-subscribes cores with libtorch's OpenMP threads; prefer " +
        "libopenblas0-openmp",
    );
  }
  if (allocator !== "tcmalloc") {
    info.warnings.push(
      "tcmalloc is not preloaded: training steps are slower and memory grows; run through the genrelab launcher " +
        "(bin/genrelab.js)",
    );
  }
  return info;
}

/** Sets libtorch's intra-op thread count (OpenMP, also used by OpenBLAS-openmp). */
export const setNumThreads = (n: number): void => native.setNumThreads(n);
export const getNumThreads = (): number => native.getNumThreads();
/**
 * Makes the kernel send this process `signal` (default SIGTERM) when its parent exits, however it
 * exits (Linux). False if the parent is already gone (its pid is no longer `parentPid`).
 */
export function dieWithParent(parentPid: number, signal = 15): boolean {
  native.setParentDeathSignal(signal);
  return process.ppid === parentPid; // the parent may have died before the call
}
/** Returns memory the allocator holds free to the system (true: tcmalloc's, false: glibc's). */
export const releaseFreeMemory = (): boolean => native.releaseFreeMemory();
/** Inter-op threads; libtorch allows setting this only before the first parallel work. */
export const setNumInteropThreads = (n: number): void => native.setNumInteropThreads(n);
export const getNumInteropThreads = (): number => native.getNumInteropThreads();
