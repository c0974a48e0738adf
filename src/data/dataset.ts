// A data folder (GTZAN, FMA or labelled folders) decoded to 10 kHz mono through the on-disk cache, on
// one process per core. Unreadable files are skipped with a warning each and listed, so one corrupt
// file (Kaggle's jazz.00054.wav, FMA's few broken mp3s) does not stop a run.
import { join } from "node:path";
import { WORK_RATE } from "../audio/index.js";
import { AudioCache } from "./cache.js";
import { decodeInPool, defaultJobs, type Decoded } from "./decode-pool.js";
import { StoredSong } from "./stored-song.js";
import { discover } from "./discover.js";
import { labelIndex, type DataKind, type Discovered, type Track } from "./track.js";

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
  kind: DataKind;
  labels: string[];
  sampleRate: number;
  songs: Song[];
  skipped: SkippedFile[];
  /** Track ids whose files hold the same bytes, one group per content. */
  duplicates: string[][];
}

export interface LoadOptions {
  cacheDir: string;
  sampleRate?: number;
  /** Only these tracks (by id), e.g. those of a split; default all. */
  only?: ReadonlySet<string>;
  onWarning?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Decoding processes (default: one per core; 1 decodes in this process). */
  jobs?: number;
  /** Songs stay in the cache and are read when used (StoredSong), so memory does not grow with the data set. */
  stream?: boolean;
}

/**
 * The songs with `track.label` re-indexed into `labels` (e.g. a checkpoint's) by label name, so data
 * sets whose label lists differ in order can be judged; a label the list lacks is an error naming `where`.
 */
export function relabel<S extends Song>(songs: readonly S[], labels: readonly string[], where: string): S[] {
  return songs.map((s) => {
    const label = labelIndex(labels, s.track.genre, where);
    if (label === s.track.label) return s;
    // A spread would read a stored song's samples (a getter) into memory.
    return s instanceof StoredSong ? (s.relabelled(label) as unknown as S) : { ...s, track: { ...s.track, label } };
  });
}

export const defaultCacheDir = (dataDir: string): string => join(dataDir, ".genrelab-cache");

// Below this many files one process decodes them: starting decoders (each loads libtorch) costs ~0.5 s.
const POOL_MIN_FILES = 16;

/** Decodes each path into the cache: its entry's content hash, or its problem. */
async function decodeAll(paths: readonly string[], cache: AudioCache, o: LoadOptions): Promise<Decoded[]> {
  const jobs = o.jobs ?? defaultJobs();
  if (jobs > 1 && paths.length >= POOL_MIN_FILES) {
    let done = 0;
    return decodeInPool(paths, {
      cacheDir: cache.dir,
      sampleRate: cache.sampleRate,
      jobs,
      onDone: () => o.onProgress?.(++done, paths.length),
    });
  }
  const out: Decoded[] = [];
  for (const [i, path] of paths.entries()) {
    out.push(
      await cache.loadEntry(path).then(
        ({ hash }) => ({ hash }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      ),
    );
    o.onProgress?.(i + 1, paths.length);
  }
  return out;
}

const vanished = (cache: AudioCache, track: Track) =>
  new Error(
    `${cache.dir}: the decoded audio of ${track.path} vanished from the cache (is another process clearing it?)`,
  );

function stored(track: Track, cache: AudioCache, hash: string): StoredSong {
  const entry = cache.entry(hash);
  if (!entry) throw vanished(cache, track);
  return new StoredSong(track, entry);
}

function inMemory(track: Track, cache: AudioCache, hash: string): Song {
  const samples = cache.read(hash);
  if (!samples) throw vanished(cache, track);
  return { track, samples };
}

/** Decodes the tracks of a data folder (or of an already discovered one): every file, or those in `only`. */
export async function loadDataset(from: string | Discovered, o: LoadOptions): Promise<Dataset> {
  const { root, kind, labels, tracks } = typeof from === "string" ? await discover(from) : from;
  const sampleRate = o.sampleRate ?? WORK_RATE;
  const cache = new AudioCache(o.cacheDir, sampleRate);
  const wanted = o.only ? tracks.filter((t) => o.only!.has(t.id)) : tracks;
  const songs: Song[] = [];
  const skipped: SkippedFile[] = [];
  const byHash = new Map<string, string[]>();
  const decoded = await decodeAll(
    wanted.map((t) => t.path),
    cache,
    o,
  );
  wanted.forEach((track, i) => {
    const r = decoded[i]!;
    if ("error" in r) {
      const reason = r.error.replace(`${track.path}: `, "");
      skipped.push({ path: track.path, reason });
      o.onWarning?.(`warning: skipping ${track.path}: ${reason}`);
      return;
    }
    songs.push(o.stream ? stored(track, cache, r.hash) : inMemory(track, cache, r.hash));
    byHash.set(r.hash, [...(byHash.get(r.hash) ?? []), track.id]);
  });
  if (!songs.length) throw new Error(`${root}: none of the ${wanted.length} audio files could be read`);
  const duplicates = [...byHash.values()].filter((ids) => ids.length > 1);
  return { root, kind, labels, sampleRate, songs, skipped, duplicates };
}
