// `npm run bench:decode`: how fast `prepare` decodes a data set into the cache, in seconds of audio per
// second, for WAV (22.05 kHz mono, as GTZAN) and MP3 (44.1 kHz stereo 128 kbit/s, as FMA) at 1 and 2
// decoding processes. MP3s are encoded with LAME (`lame`, dev-only); without it that row is skipped.
// Usage: node dist/bench/decode.js [--songs N] [--seconds S]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav16 } from "../src/audio/index.js";
import { demoSong, loadDataset } from "../src/data/index.js";

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const songs = arg("--songs", 24);
const seconds = arg("--seconds", 30);

function stereo(mono: Float32Array): Float32Array {
  const out = new Float32Array(mono.length * 2);
  mono.forEach((x, i) => {
    out[2 * i] = x;
    out[2 * i + 1] = 0.8 * x;
  });
  return out;
}

/** Two labels of songs as WAV or MP3; null when the encoder is missing. */
function collection(format: "wav" | "mp3"): string | null {
  const dir = mkdtempSync(join(tmpdir(), `genrelab-bench-${format}-`));
  for (let k = 0; k < songs; k++) {
    const label = join(dir, k % 2 ? "a" : "b");
    mkdirSync(label, { recursive: true });
    if (format === "wav") {
      writeFileSync(
        join(label, `${k}.wav`),
        encodeWav16(demoSong(k % 10, k, { seconds, sampleRate: 22050, seed: 0 }), 22050),
      );
      continue;
    }
    const wav = join(label, `${k}.tmp.wav`);
    const x = demoSong(k % 10, k, { seconds, sampleRate: 44100, seed: 0 });
    writeFileSync(wav, encodeWav16(stereo(x), 44100, 2));
    const r = spawnSync("lame", ["--quiet", "-b", "128", wav, join(label, `${k}.mp3`)]);
    rmSync(wav);
    if (r.error || r.status !== 0) return null;
  }
  return dir;
}

console.log(`| format | processes | audio s decoded per s | ${songs} songs × ${seconds} s |\n|---|---|---|---|`);
for (const format of ["wav", "mp3"] as const) {
  const dir = collection(format);
  if (!dir) {
    console.log(`| ${format} | — | skipped (no lame) | |`);
    continue;
  }
  for (const jobs of [1, 2]) {
    const cacheDir = join(dir, `.cache-${jobs}`);
    const t0 = performance.now();
    const data = await loadDataset(dir, { cacheDir, jobs });
    const s = (performance.now() - t0) / 1000;
    const audio = data.songs.reduce((n, x) => n + x.samples.length, 0) / data.sampleRate;
    console.log(`| ${format} | ${jobs} | ${(audio / s).toFixed(0)} | ${s.toFixed(1)} s |`);
  }
  rmSync(dir, { recursive: true, force: true });
}
