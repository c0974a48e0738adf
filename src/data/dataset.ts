// A GTZAN-layout folder decoded to 10 kHz mono, through the on-disk cache. Unreadable files are
// skipped with a warning each and listed, so one corrupt file (Kaggle's jazz.00054.wav) does not
// stop a run.
import { join } from "node:path";
import { WORK_RATE } from "../audio/index.js";
import { AudioCache } from "./cache.js";
import { discoverGtzan, type Track } from "./gtzan.js";

export interface Song {
  track: Track;
  samples: Float32Array;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Dataset {
  root: string;
  sampleRate: number;
  songs: Song[];
  skipped: SkippedFile[];
}

export interface LoadOptions {
  cacheDir: string;
  sampleRate?: number;
  /** Only these tracks (by id), e.g. those of a split; default all. */
  only?: ReadonlySet<string>;
  onWarning?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export const defaultCacheDir = (dataDir: string): string => join(dataDir, ".genrelab-cache");

export async function loadDataset(dir: string, o: LoadOptions): Promise<Dataset> {
  const { root, tracks } = discoverGtzan(dir);
  const sampleRate = o.sampleRate ?? WORK_RATE;
  const cache = new AudioCache(o.cacheDir, sampleRate);
  const wanted = o.only ? tracks.filter((t) => o.only!.has(t.id)) : tracks;
  const songs: Song[] = [];
  const skipped: SkippedFile[] = [];
  for (const [i, track] of wanted.entries()) {
    try {
      songs.push({ track, samples: await cache.load(track.path) });
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(`${track.path}: `, "") : String(err);
      skipped.push({ path: track.path, reason });
      o.onWarning?.(`warning: skipping ${track.path}: ${reason}`);
    }
    o.onProgress?.(i + 1, wanted.length);
  }
  if (!songs.length) throw new Error(`${root}: none of the ${wanted.length} audio files could be read`);
  return { root, sampleRate, songs, skipped };
}
