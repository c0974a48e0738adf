// The synthetic demo data set: ten distinguishable "genres" in GTZAN's Kaggle layout
// (genres_original/<genre>/<genre>.000NN.wav, 22050 Hz mono 16-bit), deterministic from a seed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeWav16 } from "../../audio/index.js";
import { writeFileAtomic } from "../../util/fs.js";
import { GENRES } from "../genres.js";
import { Random, mixSeed } from "../random.js";
import { recipeOf } from "./recipes.js";
import { drawTempo, renderSong } from "./song.js";

export interface DemoOptions {
  songsPerGenre: number;
  seconds: number;
  sampleRate: number;
  seed: number;
}

/** What `make demo` uses: 20 songs × 10 genres × 30 s. */
export const defaultDemoOptions: DemoOptions = { songsPerGenre: 20, seconds: 30, sampleRate: 22050, seed: 0 };

const MANIFEST = "genrelab-demo.json";

/** One song's samples (for tests that need audio without files). */
export function demoSong(genreIndex: number, song: number, o: Omit<DemoOptions, "songsPerGenre">): Float32Array {
  const rng = new Random(mixSeed(o.seed, genreIndex, song));
  return renderSong(recipeOf(GENRES[genreIndex]!), rng, { seconds: o.seconds, sampleRate: o.sampleRate });
}

/** One song's tempo in beats per minute (what an experiment may compare a generator's rhythm with). */
export function demoSongTempo(genreIndex: number, song: number, seed = defaultDemoOptions.seed): number {
  return drawTempo(recipeOf(GENRES[genreIndex]!), new Random(mixSeed(seed, genreIndex, song)));
}

/**
 * Writes the demo set under `outDir`, skipping the work when a complete set with the same options
 * is already there. `onSong` reports progress.
 */
export function writeDemoDataset(
  outDir: string,
  options: Partial<DemoOptions> = {},
  onSong?: (done: number, total: number) => void,
): string {
  const o = { ...defaultDemoOptions, ...options };
  if (!(o.songsPerGenre >= 1 && o.songsPerGenre <= 1000 && o.seconds > 0 && o.seconds <= 600)) {
    throw new RangeError(
      `demo data: need 1–1000 songs per genre and 0–600 s per song, got ${o.songsPerGenre} and ${o.seconds}`,
    );
  }
  const manifest = join(outDir, MANIFEST);
  const wanted = JSON.stringify(o);
  if (existsSync(manifest) && readFileSync(manifest, "utf8").trim() === wanted) return outDir;
  const total = GENRES.length * o.songsPerGenre;
  let done = 0;
  GENRES.forEach((genre, g) => {
    for (let k = 0; k < o.songsPerGenre; k++) {
      const samples = demoSong(g, k, o);
      writeWav16(
        join(outDir, "genres_original", genre, `${genre}.${String(k).padStart(5, "0")}.wav`),
        samples,
        o.sampleRate,
      );
      onSong?.(++done, total);
    }
  });
  writeFileAtomic(manifest, `${wanted}\n`); // written last: marks the set complete
  return outDir;
}
