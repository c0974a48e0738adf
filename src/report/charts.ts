// Charts as SVG, from vega-lite specifications (chart-specs.ts) rendered by vega in Node (no browser, no canvas).
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../util/fs.js";

export async function writeChart(path: string, spec: TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  writeFileAtomic(path, await view.toSVG());
  view.finalize();
}

export * from "./chart-specs.js";
