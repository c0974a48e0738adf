// Spectrogram images: a [rows, cols] dB matrix colour-mapped to a PNG (low frequencies at the bottom).
import { PNG } from "pngjs";
import { writeFileAtomic } from "../util/fs.js";
import { viridis } from "./colormap.js";

export interface HeatmapOptions {
  /** Pixels per matrix cell, horizontally and vertically. */
  scaleX?: number;
  scaleY?: number;
  /** Value range mapped to the colour scale; default the data's min and max. */
  range?: [number, number];
}

export function writeHeatmapPng(
  path: string,
  values: Float32Array,
  rows: number,
  cols: number,
  o: HeatmapOptions = {},
): void {
  writeFileAtomic(path, heatmapPng(values, rows, cols, o));
}

/** The PNG bytes of a colour-mapped [rows, cols] matrix. */
export function heatmapPng(values: Float32Array, rows: number, cols: number, o: HeatmapOptions = {}): Buffer {
  const sx = o.scaleX ?? 2;
  const sy = o.scaleY ?? 2;
  let [lo, hi] = o.range ?? [Infinity, -Infinity];
  if (!o.range)
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const span = hi - lo || 1;
  const png = new PNG({ width: cols * sx, height: rows * sy });
  for (let y = 0; y < rows * sy; y++) {
    const r = rows - 1 - Math.floor(y / sy);
    for (let x = 0; x < cols * sx; x++) {
      const [red, green, blue] = viridis((values[r * cols + Math.floor(x / sx)]! - lo) / span);
      const i = (y * cols * sx + x) * 4;
      png.data[i] = red;
      png.data[i + 1] = green;
      png.data[i + 2] = blue;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
