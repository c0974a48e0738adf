// The charts of the report and the dashboard, as vega-lite specifications: the report renders them to SVG
// in Node (charts.ts), the dashboard in the browser with vega-embed (hover values), so both draw the
// same charts in the same colours. Pure data in, spec out: no Node or DOM here.
import type { StepRow } from "../util/step-row.js";
import type { TopLevelSpec } from "vega-lite";

type Row = Readonly<Record<string, unknown>>;

/** What every chart starts with: the schema, its title and size, its data. */
const frame = (title: string, width: number, height: number, values: readonly object[]) => ({
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title,
  width,
  height,
  data: { values },
});

/** Lines of `series` fields over `x` (one colour per series). */
export function lineChart(
  title: string,
  rows: readonly Row[],
  x: string,
  series: Record<string, string>,
  yTitle: string,
  opts: { logY?: boolean; width?: number; height?: number; yDomain?: [number, number] } = {},
): TopLevelSpec {
  const values = rows.flatMap((r) =>
    Object.entries(series).flatMap(([field, label]) =>
      r[field] === null || r[field] === undefined ? [] : [{ x: r[x], y: r[field], series: label }],
    ),
  );
  // Few whole-number x values (epochs) get a tick each: rounded in-between ticks would read "1, 2, 2".
  const xs = [...new Set(values.map((v) => v.x))];
  const whole = xs.length <= 20 && xs.every((v) => Number.isInteger(v));
  return {
    ...frame(title, opts.width ?? 420, opts.height ?? 220, values),
    mark: { type: "line", point: true },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: x,
        axis: whole ? { values: xs as number[], format: "d" } : { tickMinStep: 1, format: "d" },
      },
      y: {
        field: "y",
        type: "quantitative",
        title: yTitle,
        scale: opts.logY ? { type: "log" } : opts.yDomain ? { domain: opts.yDomain } : { zero: false },
      },
      color: { field: "series", type: "nominal", title: null, sort: Object.values(series) },
      tooltip: [
        { field: "series", title: "series" },
        { field: "x", title: x },
        { field: "y", title: yTitle, format: ".4~g" },
      ],
    },
  };
}

/**
 * A waveform generator's metrics rows (sample MSE beside its baselines, spanning decades: a log axis); a token
 * model's cross-entropy is not.
 */
export const hasMse = (rows: readonly Row[]): boolean => rows.some((r) => "validMse" in r);

export type { StepRow };

/**
 * Exponential smoothing as TensorBoard's: each point the running average with `weight` (0: none, 0.99:
 * heavy), debiased so the first points are not pulled towards zero.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  let avg = 0;
  return values.map((v, i) => {
    avg = avg * weight + (1 - weight) * v;
    return weight > 0 ? avg / (1 - weight ** (i + 1)) : v;
  });
}

/** Step losses of each series (a run, a model), faint as logged and solid smoothed, one colour per series. */
export function stepChart(
  title: string,
  series: Record<string, readonly StepRow[]>,
  weight: number,
  opts: { logY?: boolean; width?: number; height?: number } = {},
): TopLevelSpec {
  const values = Object.entries(series).flatMap(([name, rows]) => {
    const s = smooth(
      rows.map((r) => r.loss),
      weight,
    );
    return rows.map((r, i) => ({ series: name, step: r.step, epoch: r.epoch, loss: r.loss, smoothed: s[i] }));
  });
  const names = Object.keys(series);
  // A pivoted series is a field: dots and brackets in its name would read as a path.
  const field = (n: string) => n.replace(/[.[\]\\]/g, "\\$&");
  const x = { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } } as const;
  const scale = opts.logY ? ({ type: "log" } as const) : { zero: false };
  const color = { field: "series", type: "nominal", title: null, sort: names } as const;
  return {
    ...frame(title, opts.width ?? 420, opts.height ?? 220, values),
    layer: [
      {
        mark: { type: "line", opacity: 0.25 },
        encoding: { x, y: { field: "loss", type: "quantitative", title: "training loss", scale }, color },
      },
      {
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x, y: { field: "smoothed", type: "quantitative", scale }, color },
      },
      // Hovering anywhere marks the nearest step and shows every series' smoothed loss there.
      {
        transform: [{ pivot: "series", value: "smoothed", groupby: ["step", "epoch"] }],
        mark: "rule",
        params: [
          {
            name: "hover",
            select: { type: "point", fields: ["step"], nearest: true, on: "pointerover", clear: "pointerout" },
          },
        ],
        encoding: {
          x,
          opacity: { condition: { param: "hover", empty: false, value: 0.4 }, value: 0 },
          tooltip: [
            { field: "step", type: "quantitative" },
            { field: "epoch", type: "quantitative" },
            ...names.map((n) => ({ field: field(n), title: n, type: "quantitative" as const, format: ".4~g" })),
          ],
        },
      },
    ],
  };
}

/** Confusion matrix: colour = share of the true class's items (row-normalised), text = counts. */
export function confusionChart(title: string, matrix: number[][], labels: readonly string[]): TopLevelSpec {
  const values = matrix.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((count, p) => ({ truth: labels[t], predicted: labels[p], count, share: count / total }));
  });
  return {
    ...frame(title, 300, 300, values),
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: [...labels], title: "predicted" },
      y: { field: "truth", type: "ordinal", sort: [...labels], title: "true genre" },
    },
    layer: [
      {
        mark: "rect",
        encoding: {
          color: {
            field: "share",
            type: "quantitative",
            scale: { scheme: "viridis", domain: [0, 1] },
            title: "share of row",
          },
        },
      },
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
    for (let k = i; k < i + per; k++) {
      lo = Math.min(lo, samples[k]!);
      hi = Math.max(hi, samples[k]!);
    }
    values.push({ t: i / sampleRate, lo, hi });
  }
  return {
    ...frame(title, 600, 140, values),
    mark: { type: "area", color: "#3b528b" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      y: { field: "lo", type: "quantitative", title: "amplitude", scale: { domain: [-1, 1] } },
      y2: { field: "hi" },
    },
  };
}

/** Bars of one value per genre. */
export function barChart(
  title: string,
  rows: readonly { genre: string; value: number }[],
  yTitle: string,
  domain?: [number, number],
): TopLevelSpec {
  return {
    ...frame(title, 360, 180, rows),
    mark: "bar",
    encoding: {
      x: { field: "genre", type: "ordinal", sort: null, title: null },
      y: { field: "value", type: "quantitative", title: yTitle, scale: domain ? { domain } : {} },
      color: { value: "#21918c" },
    },
  };
}
