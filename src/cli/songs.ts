// Loading the songs of a split for a command, with the progress bar and skipped-file warnings.
import { defaultCacheDir, discoverGtzan, loadDataset, type Song, type Split, type SplitName, type SkippedFile } from "../data/index.js";
import { makeSplit, resolveData } from "./data.js";
import { progress } from "./progress.js";

export interface SplitSongs {
  root: string;
  split: Split;
  songs: Split<Song & { id: string }>;
  skipped: SkippedFile[];
}

export async function loadSplitSongs(o: { data: string; split: SplitName; seed: number; cache?: string; quiet?: boolean }): Promise<SplitSongs> {
  const dir = resolveData(o.data, o.quiet);
  const { root, tracks } = discoverGtzan(dir);
  const split = makeSplit(tracks, o.split, o.seed);
  const wanted = new Set([...split.train, ...split.valid, ...split.test].map((t) => t.id));
  const bar = progress("decoding", o.quiet);
  const data = await loadDataset(dir, {
    cacheDir: o.cache ?? defaultCacheDir(root),
    only: wanted,
    onWarning: (w) => process.stderr.write(`${w}\n`),
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.stop();
  const byId = new Map(data.songs.map((s) => [s.track.id, { ...s, id: s.track.id }]));
  const pick = (side: keyof Split) => split[side].flatMap((t) => byId.get(t.id) ?? []);
  return { root, split, songs: { train: pick("train"), valid: pick("valid"), test: pick("test") }, skipped: data.skipped };
}
