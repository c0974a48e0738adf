// The songs of a split, decoded (through the cache): what a training or evaluation command works on.
import { loadDataset, defaultCacheDir, type Song, type SkippedFile } from "./dataset.js";
import { discoverGtzan, type Track } from "./gtzan.js";
import { assertDisjoint, faultFilteredSplit, seedSplit, type Split, type SplitName } from "./splits.js";

export type SongWithId = Song & { id: string };

export interface SplitSongs {
  root: string;
  tracks: number;
  split: Split;
  songs: Split<SongWithId>;
  skipped: SkippedFile[];
}

export function makeSplit(tracks: readonly Track[], name: SplitName, seed: number): Split {
  const split = name === "seed" ? seedSplit(tracks, { seed }) : faultFilteredSplit(tracks);
  assertDisjoint(split);
  return split;
}

export async function loadSplitSongs(dir: string, o: {
  split: SplitName; seed: number; cacheDir?: string;
  onWarning?: (w: string) => void; onProgress?: (done: number, total: number) => void;
}): Promise<SplitSongs> {
  const { root, tracks } = discoverGtzan(dir);
  const split = makeSplit(tracks, o.split, o.seed);
  const wanted = new Set([...split.train, ...split.valid, ...split.test].map((t) => t.id));
  const data = await loadDataset(dir, { cacheDir: o.cacheDir ?? defaultCacheDir(root), only: wanted, onWarning: o.onWarning, onProgress: o.onProgress });
  const byId = new Map(data.songs.map((s) => [s.track.id, { ...s, id: s.track.id }]));
  const pick = (side: keyof Split): SongWithId[] => split[side].flatMap((t) => byId.get(t.id) ?? []);
  return { root, tracks: tracks.length, split, songs: { train: pick("train"), valid: pick("valid"), test: pick("test") }, skipped: data.skipped };
}
