// Track-level splits: every piece of a song stays on one side.
//  - "seed": the study's 90 train / 10 test songs per genre (10 %), 10 % of train held for validation
//    (any labelled collection: stratified by label the same way);
//  - "fault-filtered": Kereliuk, Sturm & Larsen's artist-filtered lists (data/gtzan-splits/);
//  - "fma": FMA's own training/validation/test split (its tracks.csv's set.split);
//  - "fold:K/N": fold K of a stratified N-fold split (kFoldSplit); "file:PATH": a user's list (split-file.ts);
//  - k-fold by track, stratified by genre.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Track } from "./track.js";
import { Random } from "./random.js";

export interface Split<T extends { id: string } = Track> {
  train: T[];
  valid: T[];
  test: T[];
}
/**
 * The splits a command can name (the schema, the CLI and the server take this list), besides fold:K/N and
 * file:PATH.
 */
export const SPLIT_NAMES = ["seed", "fault-filtered", "fma"] as const;
export type SplitName = (typeof SPLIT_NAMES)[number] | `fold:${number}/${number}` | `file:${string}`;

/** Fold K (1-based) of N, from a `fold:K/N` split. */
export function foldOf(spec: string): { k: number; n: number } | null {
  const m = /^fold:(\d{1,3})\/(\d{1,3})$/.exec(spec);
  return m ? { k: Number(m[1]), n: Number(m[2]) } : null;
}

/** A split as users name it, checked: one of SPLIT_NAMES, fold:K/N (fold K of N, 1-based) or file:PATH. */
export function parseSplit(spec: string): SplitName {
  if ((SPLIT_NAMES as readonly string[]).includes(spec)) return spec as SplitName;
  const fold = foldOf(spec);
  if (fold && fold.n >= 3 && fold.k >= 1 && fold.k <= fold.n) return spec as SplitName;
  if (fold) throw new Error(`split '${spec}': fold:K/N needs N ≥ 3 and 1 ≤ K ≤ N`);
  if (spec.startsWith("file:") && spec.length > 5) return spec as SplitName;
  throw new Error(`split '${spec}': expected ${SPLIT_NAMES.join(", ")}, fold:K/N (e.g. fold:1/5) or file:PATH`);
}

export interface SeedSplitOptions {
  seed: number;
  /** Share of each genre's songs held out for test (the study: 10 of 100). */
  testFraction: number;
  /** Share of the remaining training songs held for validation. */
  validFraction: number;
}
export const defaultSeedSplit: SeedSplitOptions = { seed: 0, testFraction: 0.1, validFraction: 0.1 };

/** Tracks grouped by label, in label order: what every split here stratifies by. */
function byGenre<T extends { label: number }>(tracks: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const t of tracks) (groups[t.label] ??= []).push(t);
  return groups.filter(Boolean);
}

/** Per genre: shuffle with the seed, take the test share, then the validation share of the rest. */
export function seedSplit<T extends Track>(tracks: readonly T[], options: Partial<SeedSplitOptions> = {}): Split<T> {
  const o = { ...defaultSeedSplit, ...options };
  const rng = new Random(o.seed);
  const out: Split<T> = { train: [], valid: [], test: [] };
  for (const songs of byGenre(tracks)) {
    if (!songs.length) continue;
    const shuffled = rng.shuffle(songs);
    const nTest = songs.length > 1 ? Math.max(1, Math.round(songs.length * o.testFraction)) : 0;
    const rest = shuffled.slice(nTest);
    const nValid = o.validFraction > 0 && rest.length > 1 ? Math.max(1, Math.round(rest.length * o.validFraction)) : 0;
    out.test.push(...shuffled.slice(0, nTest));
    out.valid.push(...rest.slice(0, nValid));
    out.train.push(...rest.slice(nValid));
  }
  return sortSplit(out);
}

const listDir = new URL("../../../data/gtzan-splits/fault-filtered/", import.meta.url);

/** The artist-filtered split; tracks not in the lists (70 of GTZAN's 1000) are left out. */
export function faultFilteredSplit<T extends Track>(tracks: readonly T[]): Split<T> & { missing: string[] } {
  const ids = (name: string): string[] =>
    readFileSync(fileURLToPath(new URL(`${name}.txt`, listDir)), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.replace(/^.*\//, "").replace(/\.(wav|au)$/, ""));
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const missing: string[] = [];
  const pick = (name: string): T[] =>
    ids(name).flatMap((id) => {
      const t = byId.get(id);
      if (!t) missing.push(id);
      return t ? [t] : [];
    });
  return { ...sortSplit({ train: pick("train"), valid: pick("valid"), test: pick("test") }), missing };
}

/** Fold `fold` of `k`: that fold is test, the next one validation, the rest train (stratified by genre). */
export function kFoldSplit<T extends Track>(tracks: readonly T[], k: number, fold: number, seed = 0): Split<T> {
  if (!Number.isInteger(k) || k < 3) throw new RangeError(`k-fold: k must be an integer ≥ 3, got ${k}`);
  if (!Number.isInteger(fold) || fold < 0 || fold >= k)
    throw new RangeError(`k-fold: fold must be in 0..${k - 1}, got ${fold}`);
  const rng = new Random(seed);
  const out: Split<T> = { train: [], valid: [], test: [] };
  for (const songs of byGenre(tracks)) {
    rng.shuffle(songs).forEach((t, i) => {
      const f = i % k;
      (f === fold ? out.test : f === (fold + 1) % k ? out.valid : out.train).push(t);
    });
  }
  return sortSplit(out);
}

function sortSplit<T extends { id: string }>(s: Split<T>): Split<T> {
  const order = (a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { train: s.train.sort(order), valid: s.valid.sort(order), test: s.test.sort(order) };
}

/** Throws if any track is on two sides: the guarantee every split here gives. */
export function assertDisjoint(s: Split<{ id: string }>): void {
  const seen = new Map<string, string>();
  for (const side of ["train", "valid", "test"] as const) {
    for (const t of s[side]) {
      const other = seen.get(t.id);
      if (other) throw new Error(`split: ${t.id} is in both ${other} and ${side}`);
      seen.set(t.id, side);
    }
  }
}
