// Charts as SVG, from vega-lite specifications rendered by vega in Node (no browser, no canvas).
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../util/fs.js";

export async function writeChart(path: string, spec: TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  writeFileAtomic(path, await view.toSVG());
  view.finalize();
}

type Row = Record<string, number | string | null>;

/** Lines of `series` fields over `x` (one colour per series). */
export function lineChart(title: string, rows: readonly Row[], x: string, series: Record<string, string>, yTitle: string, opts: { logY?: boolean; width?: number; height?: number; yDomain?: [number, number] } = {}): TopLevelSpec {
  const values = rows.flatMap((r) => Object.entries(series).flatMap(([field, label]) =>
    r[field] === null || r[field] === undefined ? [] : [{ x: r[x], y: r[field], series: label }]));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title, width: opts.width ?? 420, height: opts.height ?? 220, data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: x, axis: { tickMinStep: 1, format: "d" } },
      y: { field: "y", type: "quantitative", title: yTitle, scale: opts.logY ? { type: "log" } : opts.yDomain ? { domain: opts.yDomain } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, sort: Object.values(series) },
    },
  };
}

/** Confusion matrix: colour = share of the true class's items (row-normalised), text = counts. */
export function confusionChart(title: string, matrix: number[][], labels: readonly string[]): TopLevelSpec {
  const values = matrix.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((count, p) => ({ truth: labels[t], predicted: labels[p], count, share: count / total }));
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title, width: 300, height: 300, data: { values },
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: [...labels], title: "predicted" },
      y: { field: "truth", type: "ordinal", sort: [...labels], title: "true genre" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "share", type: "quantitative", scale: { scheme: "viridis", domain: [0, 1] }, title: "share of row" } } },
      {
        mark: { type: "text", fontSize: 10 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: "datum.share > 0.5", value: "black" }, value: "white" },
          opacity: { condition: { test: "datum.count > 0", value: 1 }, value: 0 },
        },
      },
    ],
  };
}

/** Waveform as a min/max envelope per column (`columns` points across). */
export function waveformChart(title: string, samples: Float32Array, sampleRate: number, columns = 600): TopLevelSpec {
  const per = Math.max(1, Math.floor(samples.length / columns));
  const values = [];
  for (let i = 0; i + per <= samples.length; i += per) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = i; k < i + per; k++) { lo = Math.min(lo, samples[k]); hi = Math.max(hi, samples[k]); }
    values.push({ t: i / sampleRate, lo, hi });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title, width: 600, height: 140, data: { values },
    mark: { type: "area", color: "#3b528b" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      y: { field: "lo", type: "quantitative", title: "amplitude", scale: { domain: [-1, 1] } },
      y2: { field: "hi" },
    },
  };
}

/** Bars of one value per genre. */
export function barChart(title: string, rows: readonly { genre: string; value: number }[], yTitle: string, domain?: [number, number]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title, width: 360, height: 180, data: { values: rows },
    mark: "bar",
    encoding: {
      x: { field: "genre", type: "ordinal", sort: null, title: null },
      y: { field: "value", type: "quantitative", title: yTitle, scale: domain ? { domain } : {} },
      color: { value: "#21918c" },
    },
  };
}
