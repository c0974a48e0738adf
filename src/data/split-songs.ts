// The songs of a split, decoded (through the cache): what a training or evaluation command works on.
import { loadDataset, defaultCacheDir, type Song, type SkippedFile } from "./dataset.js";
import { discover } from "./discover.js";
import { DatasetError, type DataKind, type Discovered } from "./track.js";
import { splitFromFile } from "./split-file.js";
import { StoredSong } from "./stored-song.js";
import {
  assertDisjoint,
  faultFilteredSplit,
  foldOf,
  kFoldSplit,
  seedSplit,
  type Split,
  type SplitName,
} from "./splits.js";

export type SongWithId = Song & { id: string };

export interface SplitSongs {
  root: string;
  kind: DataKind;
  /** The data set's label names; every song's `track.label` indexes them. */
  labels: string[];
  tracks: number;
  split: Split;
  songs: Split<SongWithId>;
  skipped: SkippedFile[];
  /** Track ids whose files hold the same bytes. */
  duplicates: string[][];
}

export function makeSplit(d: Discovered, name: SplitName, seed: number): Split {
  if (name === "fault-filtered" && d.kind !== "gtzan") {
    throw new DatasetError(
      `${d.root}: the fault-filtered split lists GTZAN's tracks; this is a ${d.kind} collection (use --split seed)`,
    );
  }
  if (name === "fma" && !d.split)
    throw new DatasetError(
      `${d.root}: --split fma is FMA's own split; this is a ${d.kind} collection (use --split seed)`,
    );
  const fold = foldOf(name);
  const split =
    name === "seed"
      ? seedSplit(d.tracks, { seed })
      : name === "fma"
        ? ownSplit(d)
        : name === "fault-filtered"
          ? faultFilteredSplit(d.tracks)
          : fold
            ? kFoldSplit(d.tracks, fold.n, fold.k - 1, seed)
            : splitFromFile(name.slice("file:".length), d);
  assertDisjoint(split);
  return split;
}

/** The collection's own split; its tracks without a side (FMA lists a few) are left out. */
function ownSplit(d: Discovered): Split {
  const out: Split = { train: [], valid: [], test: [] };
  for (const t of d.tracks) {
    const side = d.split?.get(t.id);
    if (side) out[side].push(t);
  }
  return out;
}

/** Groups of duplicate tracks that straddle sides of the split (the same audio trained on and tested on). */
export function duplicatesAcross(split: Split, duplicates: readonly string[][]): string[][] {
  const sideOf = new Map<string, string>();
  for (const side of ["train", "valid", "test"] as const) for (const t of split[side]) sideOf.set(t.id, side);
  return duplicates.filter((ids) => new Set(ids.map((id) => sideOf.get(id))).size > 1);
}

/** The songs of a split of a data folder (or of one already discovered: FMA's metadata is read once). */
export async function loadSplitSongs(
  from: string | Discovered,
  o: {
    split: SplitName;
    seed: number;
    cacheDir?: string;
    jobs?: number;
    /** Songs stay in the cache, read when used (default); false holds them all in memory. */
    stream?: boolean;
    onWarning?: (w: string) => void;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SplitSongs> {
  const found = typeof from === "string" ? await discover(from) : from;
  const { root, kind, labels, tracks } = found;
  const split = makeSplit(found, o.split, o.seed);
  const wanted = new Set([...split.train, ...split.valid, ...split.test].map((t) => t.id));
  const data = await loadDataset(found, {
    cacheDir: o.cacheDir ?? defaultCacheDir(root),
    only: wanted,
    jobs: o.jobs,
    stream: o.stream ?? true,
    onWarning: o.onWarning,
    onProgress: o.onProgress,
  });
  for (const ids of duplicatesAcross(split, data.duplicates)) {
    o.onWarning?.(`warning: the same audio is on two sides of the split: ${ids.join(", ")}`);
  }
  const byId = new Map(
    data.songs.map((s): [string, SongWithId] => [s.track.id, s instanceof StoredSong ? s : { ...s, id: s.track.id }]),
  );
  const pick = (side: keyof Split): SongWithId[] => split[side].flatMap((t) => byId.get(t.id) ?? []);
  return {
    root,
    kind,
    labels,
    tracks: tracks.length,
    split,
    songs: { train: pick("train"), valid: pick("valid"), test: pick("test") },
    skipped: data.skipped,
    duplicates: data.duplicates,
  };
}
