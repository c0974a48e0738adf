// Shared test helpers: fixture loading, tolerant tensor comparison, and files in formats genrelab only reads.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadSafetensors, toArray, type Tensor } from "../src/torch/index.js";

/** Path of a committed fixture (made by test/fixtures/make_fixtures.py). */
export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

export function loadFixture(name: string): Map<string, Tensor> {
  return loadSafetensors(fixturePath(name)).tensors;
}

export function get(m: ReadonlyMap<string, Tensor>, key: string): Tensor {
  const t = m.get(key);
  assert.ok(t, `fixture entry ${key} is missing`);
  return t;
}

/** Asserts |a - b| <= atol + rtol * |b| elementwise, reporting the worst element. */
export function assertClose(actual: Tensor, expected: Tensor, what: string, atol = 1e-5, rtol = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = toArray(actual);
  const b = toArray(expected);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - b[i]) - (atol + rtol * Math.abs(b[i]));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  assert.ok(worst < 0, `${what}: element ${worst} is ${a[worst]}, expected ${b[worst]}`);
}

/** Resident set size in MB. */
export const rssMB = (): number => process.memoryUsage.rss() / 2 ** 20;

/** A token generator small enough for tests that only need one trained (and a waveform model's tiny sizes). */
export const tinyGenerator = {
  tokens: { codebook: 32, hiddenSize: 16, sequence: 32, batch: 4, kmeansFrames: 2000, kmeansIterations: 5, griffinLim: 4 },
  model: { convChannels: 8, hiddenSize: 16 },
};

/** Encodes 16-bit PCM .au (GTZAN's original format) for test files; genrelab itself only reads .au. */
export function encodeAu16(samples: Float32Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(24 + samples.length * 2);
  const v = new DataView(out.buffer);
  [0x2e736e64, 24, samples.length * 2, 3, sampleRate, 1].forEach((word, i) => v.setUint32(4 * i, word));
  for (let i = 0; i < samples.length; i++) v.setInt16(24 + 2 * i, Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767));
  return out;
}
