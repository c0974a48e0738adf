// Shared test helpers: fixture loading, tolerant tensor comparison, and files in formats genrelab only reads.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeWav16 } from "../src/audio/index.js";
import { demoSong } from "../src/data/index.js";
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
    const excess = Math.abs(a[i]! - b[i]!) - (atol + rtol * Math.abs(b[i]!));
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
  tokens: {
    codebook: 32,
    hiddenSize: 16,
    sequence: 32,
    batch: 4,
    kmeansFrames: 2000,
    kmeansIterations: 5,
    griffinLim: 4,
  },
  model: { convChannels: 8, hiddenSize: 16 },
};

/** Encodes 16-bit PCM .au (GTZAN's original format) for test files; genrelab itself only reads .au. */
export function encodeAu16(samples: Float32Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(24 + samples.length * 2);
  const v = new DataView(out.buffer);
  [0x2e736e64, 24, samples.length * 2, 3, sampleRate, 1].forEach((word, i) => v.setUint32(4 * i, word));
  for (let i = 0; i < samples.length; i++)
    v.setInt16(24 + 2 * i, Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767));
  return out;
}

/**
 * Twelve labels with awkward names (spaces, unicode, dots, '%', '?', '#'), as users name folders. The
 * first ten sound as the demo set's genres, the last two as steady chords, so a classifier can tell them.
 */
export const ODD_LABELS = [
  "Blues & Roots",
  "música clásica",
  "country (live)",
  "disco.70s",
  "hip-hop",
  "jazz #2",
  "metal ☠",
  "ポップ",
  "reggae dub",
  "rock 'n' roll",
  "drone 50% sine?",
  "zz organ",
] as const;

/**
 * A labelled collection under `root`: `perLabel` songs of `seconds` per label, in nested folders and
 * mixed formats (.wav and .au; the committed 1 s mp3/flac/ogg tones beside the drone's songs), plus
 * what must be ignored: a hidden folder, a folder of notes, a loose file, a link back up the tree.
 */
export function writeCollection(root: string, perLabel: number, seconds: number): void {
  const rate = 22050;
  ODD_LABELS.forEach((label, i) => {
    for (let k = 0; k < perLabel; k++) {
      const samples =
        i < 10 ? demoSong(i, k, { seconds, sampleRate: rate, seed: 0 }) : chord(i === 10 ? 110 : 330, seconds, rate, k);
      const dir = join(root, label, k % 2 ? `disc ${k}` : "", k % 3 === 2 ? "deeper/still" : "");
      mkdirSync(dir, { recursive: true });
      const name = `${label} track ${k}`;
      writeFileSync(
        join(dir, k % 2 ? `${name}.au` : `${name}.wav`),
        k % 2 ? encodeAu16(samples, rate) : encodeWav16(samples, rate),
      );
    }
  });
  for (const ext of ["mp3", "flac", "ogg"])
    copyFileSync(fixturePath(`tone440.${ext}`), join(root, ODD_LABELS[10], `tone.${ext}`));
  mkdirSync(join(root, ".hidden"));
  writeFileSync(join(root, ".hidden", "x.wav"), encodeWav16(new Float32Array(100), rate));
  mkdirSync(join(root, "notes"));
  writeFileSync(join(root, "notes", "README.txt"), "not audio");
  writeFileSync(join(root, "loose.wav"), encodeWav16(new Float32Array(100), rate));
  symlinkSync("..", join(root, ODD_LABELS[0], "up"));
}

/** A steady chord on `f0` (root, fifth, octave) with a little level drift per song. */
function chord(f0: number, seconds: number, rate: number, k: number): Float32Array {
  return Float32Array.from({ length: seconds * rate }, (_, n) => {
    const t = n / rate;
    return (
      (0.15 + 0.02 * k) *
      (Math.sin(2 * Math.PI * f0 * t) + 0.6 * Math.sin(3 * Math.PI * f0 * t) + 0.4 * Math.sin(4 * Math.PI * f0 * t))
    );
  });
}

const CHROMIUM = "/usr/bin/chromium";
/** A test's `skip` where Debian's Chromium is missing (`make test` installs it). */
export const needsChromium = existsSync(CHROMIUM) ? false : "needs Debian's chromium (make test installs it)";

/**
 * Debian's Chromium, headless, with one page and the errors it reports: uncaught exceptions, and with
 * `console` also console errors.
 */
export async function headlessPage(o: { width?: number; height?: number; console?: boolean } = {}) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  const viewport = { width: o.width ?? 1280, height: o.height ?? 900 };
  const page = await browser.newPage({ viewport }).catch(async (err) => {
    await browser.close();
    throw err;
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (o.console)
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
  return { browser, page, errors };
}
