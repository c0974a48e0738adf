// What every section of the report needs: where the run is, where figures go, links relative to the page.
import { join, relative } from "node:path";
import type { RunPaths } from "../pipeline/paths.js";

export type Row = Record<string, number | string | null>;

export interface ReportContext {
  paths: RunPaths;
  /** A figure file's path (figures/ beside index.html). */
  fig(name: string): string;
  /** A path as the page links it. */
  rel(path: string): string;
}

export function reportContext(paths: RunPaths): ReportContext {
  const figures = join(paths.report, "figures");
  return { paths, fig: (name) => join(figures, name), rel: (path) => relative(paths.report, path) };
}
