// The mel store: a song's stored mel is the mel of the whole song (across the chunks it is computed
// in), a short song's is that of its zero-padded window, and windows cut from it equal each window's
// own mel inside, with the floor and gain of the per-window path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { amplitudeToDb, encodeWav16, MelSpectrogram } from "../../src/audio/index.js";
import { AudioCache } from "../../src/data/cache.js";
import { ClassifierExamples, MelStore, readWindow, StoredSong } from "../../src/data/index.js";
import { tensor, tidy, type Tensor } from "../../src/torch/index.js";

const RATE = 10_000;
const dir = mkdtempSync(join(tmpdir(), "genrelab-melstore-"));

/** A stored song of `samples`, through the real cache. */
async function stored(name: string, samples: Float32Array): Promise<StoredSong> {
  const path = join(dir, `${name}.wav`);
  writeFileSync(path, encodeWav16(samples, RATE));
  const cache = new AudioCache(join(dir, "cache"), RATE);
  const { hash } = await cache.loadEntry(path);
  return new StoredSong({ id: name, genre: "a", label: 0, index: 0, path }, cache.entry(hash)!);
}

/** A steady chord with gaps of silence and a little noise: quiet bins for the floor, a stable maximum. */
function music(seconds: number): Float32Array {
  let r = 1;
  return Float32Array.from({ length: seconds * RATE }, (_, i) => {
    r = (r * 16807) % 2147483647;
    const t = i / RATE;
    const gap = t % 2.56 > 1.0 && t % 2.56 < 1.4;
    return gap
      ? 0
      : 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 1234 * t) + 0.01 * (r / 2147483647 - 0.5);
  });
}

const db = (mel: MelSpectrogram, x: Float32Array): Tensor => tidy(() => amplitudeToDb(mel.power(tensor(x)), null));

function maxDiff(a: Tensor, b: Tensor): number {
  const y = b.toTypedArray() as Float32Array;
  return (a.toTypedArray() as Float32Array).reduce((d, x, i) => Math.max(d, Math.abs(x - y[i]!)), 0);
}

test("a song's stored mel is its whole mel, across chunks; a short song's is its padded window's", async () => {
  const mel = new MelSpectrogram({ sampleRate: RATE });
  const store = new MelStore(mel, 5 * RATE);
  // 110 s: more than one chunk of 4096 frames.
  const long = music(110);
  const song = await stored("long", long);
  const frames = mel.frames(long.length);
  assert.equal(store.frames(song), frames);
  assert.ok(frames > 4096);
  const whole = db(mel, song.samples);
  const d = maxDiff(store.window(song, 0, frames), whole);
  assert.ok(d < 0.01, `stored against the whole song's mel: ${d} dB`);
  const short = await stored("short", music(2));
  assert.equal(store.frames(short), mel.frames(5 * RATE));
  const padded = db(mel, readWindow(short, 0, 5 * RATE));
  assert.ok(maxDiff(store.window(short, 0, store.frames(short)), padded) < 0.01);
  assert.throws(() => store.window(short, 1, store.frames(short)), /frames 1\.\./);
});

test("an entry is made once, kept beside the song's audio, and made again when damaged", async () => {
  const mel = new MelSpectrogram({ sampleRate: RATE });
  const song = await stored("again", music(8));
  const first = new MelStore(mel, 5 * RATE).window(song, 10, 50);
  const entries = () => readdirSync(join(song.file, "..")).filter((f) => f.includes(".mel-"));
  const [entry] = entries();
  assert.ok(entry, "the entry sits beside the audio");
  truncateSync(join(song.file, "..", entry), 100);
  assert.ok(maxDiff(new MelStore(mel, 5 * RATE).window(song, 10, 50), first) < 1e-6);
  new MelStore(new MelSpectrogram({ sampleRate: RATE, nMels: 64 }), 5 * RATE).window(song, 0, 10);
  assert.equal(entries().length, 2, "other settings, another entry");
});

test("windows cut from the store equal each window's own mel inside, with its floor and gain", async () => {
  const mel = new MelSpectrogram({ sampleRate: RATE });
  // 2.56 s windows are 100 hops: the grid's windows start on frames, so both paths cut the same audio.
  const windows = { sampleRate: RATE, windowSeconds: 2.56 };
  const songs = [await stored("w1", music(12)), await stored("w2", music(9))];
  const store = new MelStore(mel, Math.round(2.56 * RATE));
  const augment = { randomCrop: false, gainDb: 6, freqMasks: 0, freqMaskWidth: 0, timeMasks: 0, timeMaskWidth: 0 };
  const plain = new ClassifierExamples(songs, mel, windows).batches(64, { seed: 3, augment }).next().value!;
  const cut = new ClassifierExamples(songs, mel, { ...windows, store }).batches(64, { seed: 3, augment }).next().value!;
  assert.deepEqual(cut.x.shape, plain.x.shape);
  assert.deepEqual(cut.songs, plain.songs);
  const frames = plain.x.size(3);
  let floored = 0;
  for (let row = 0; row < plain.songs.length; row++) {
    const [a, b] = [cut, plain].map(
      (x) => x.x.select(0, row).select(0, 0).contiguous().toTypedArray() as Float32Array,
    ) as [Float32Array, Float32Array];
    // Each window is floored 80 dB below its own maximum, which its edge frames can move a little.
    const floors = [a, b].map((v) => Math.max(...v) - 80);
    for (const [v, floor] of [
      [a, floors[0]!],
      [b, floors[1]!],
    ] as const)
      assert.ok(Math.abs(Math.min(...v) - floor) < 1e-3);
    let d = 0;
    for (let i = 0; i < a.length; i++) {
      const f = i % frames;
      if (f < 2 || f >= frames - 2) continue;
      if (a[i]! > floors[0]! + 0.1 && b[i]! > floors[1]! + 0.1) d = Math.max(d, Math.abs(a[i]! - b[i]!));
      else floored++;
    }
    assert.ok(d < 0.01, `row ${row}: ${d} dB inside the window`);
  }
  assert.ok(floored > 1000, `${floored} values on the floor: the silent gaps sit there`);
  assert.throws(
    () => new ClassifierExamples(songs, mel, { ...windows, windowSeconds: 5, store }),
    /another mel or window length/,
  );
});
