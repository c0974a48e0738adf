// FMA (Defferrard et al., "FMA: A Dataset for Music Analysis"): audio in fma_<subset>/NNN/NNNNNN.mp3,
// metadata in fma_metadata/tracks.csv (two header rows, as pandas writes a two-level header, then the
// index name row). Labels are `track.genre_top`; FMA's own split is `set.split`.
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse } from "csv-parse";
import { isDir } from "../util/fs.js";
import { DatasetError, type Discovered, type Side, type Track } from "./track.js";

const SUBSETS = ["small", "medium", "large", "full"] as const;
type Subset = (typeof SUBSETS)[number];

export interface FmaLayout {
  root: string;
  audio: string;
  subset: Subset;
  tracksCsv: string;
}

const subsetOf = (name: string): Subset | null => SUBSETS.find((s) => name === `fma_${s}`) ?? null;

/** The FMA layout of `dir` (the folder holding fma_metadata/, or one fma_<subset>/ folder beside it), or null. */
export function findFma(dir: string): FmaLayout | null {
  const own = subsetOf(basename(dir));
  if (own) {
    const tracksCsv = join(dirname(dir), "fma_metadata", "tracks.csv");
    return existsSync(tracksCsv) ? { root: dirname(dir), audio: dir, subset: own, tracksCsv } : null;
  }
  const tracksCsv = join(dir, "fma_metadata", "tracks.csv");
  if (!existsSync(tracksCsv)) return null;
  const audio = readdirSync(dir)
    .filter((n) => subsetOf(n) && isDir(join(dir, n)))
    .sort((a, b) => SUBSETS.indexOf(subsetOf(a)!) - SUBSETS.indexOf(subsetOf(b)!));
  if (!audio.length)
    throw new DatasetError(
      `${dir}: fma_metadata/ but no fma_small/, fma_medium/, fma_large/ or fma_full/ audio folder`,
    );
  if (audio.length > 1)
    throw new DatasetError(
      `${dir}: several FMA audio folders (${audio.join(", ")}); give the one to use as --data, e.g. ` +
        `${join(dir, audio[0]!)}`,
    );
  return { root: dir, audio: join(dir, audio[0]!), subset: subsetOf(audio[0]!)!, tracksCsv };
}

interface Row {
  id: string;
  split: string;
  subset: string;
  genre: string;
}

/** The columns genrelab needs from tracks.csv, streamed (FMA full's file is ~250 MB; only 4 columns are kept). */
async function readTracksCsv(path: string): Promise<Row[]> {
  const rows: Row[] = [];
  const header: string[][] = [];
  let col: { split: number; subset: number; genre: number } | null = null;
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true, max_record_size: 1 << 20 }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header.length < 2) {
        header.push(record);
        if (header.length === 2) col = columns(path, header as [string[], string[]]);
        continue;
      }
      if (record[0] === "track_id") continue; // the index name row
      if (!/^\d{1,9}$/.test(record[0] ?? ""))
        throw new DatasetError(
          `${path}: line ${rows.length + 4}: track id '${String(record[0]).slice(0, 20)}' is not a number`,
        );
      rows.push({
        id: record[0]!,
        split: record[col!.split] ?? "",
        subset: record[col!.subset] ?? "",
        genre: record[col!.genre] ?? "",
      });
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`${path}: not a readable tracks.csv (${(err as Error).message.split("\n")[0]})`);
  }
  return rows;
}

function columns(path: string, [top, field]: [string[], string[]]): { split: number; subset: number; genre: number } {
  const find = (a: string, b: string): number => {
    const i = top.findIndex((t, k) => t === a && field[k] === b);
    if (i < 0) throw new DatasetError(`${path}: no column ${a}.${b} (is this FMA's fma_metadata/tracks.csv?)`);
    return i;
  };
  return { split: find("set", "split"), subset: find("set", "subset"), genre: find("track", "genre_top") };
}

const SIDES: Record<string, Side> = { training: "train", validation: "valid", test: "test" };

/**
 * The tracks of the layout's subset that have a top genre and an audio file, with FMA's split. Tracks
 * without a top genre, or listed without a file, are counted in `notes`.
 */
export async function discoverFma(layout: FmaLayout): Promise<Discovered> {
  const rows = await readTracksCsv(layout.tracksCsv);
  // small ⊂ medium ⊂ large; set.subset names the smallest that holds a track; full holds every track (untrimmed).
  const within = layout.subset === "small" ? ["small"] : ["small", "medium"];
  const mine =
    layout.subset === "large" || layout.subset === "full" ? rows : rows.filter((r) => within.includes(r.subset));
  const files = new Map<string, Set<string>>();
  const has = (folder: string, name: string): boolean => {
    if (!files.has(folder))
      files.set(folder, new Set(isDir(join(layout.audio, folder)) ? readdirSync(join(layout.audio, folder)) : []));
    return files.get(folder)!.has(name);
  };
  let noGenre = 0;
  let noFile = 0;
  const found: { row: Row; rel: string }[] = [];
  for (const row of mine) {
    if (!row.genre) {
      noGenre++;
      continue;
    }
    const id = row.id.padStart(6, "0");
    if (!has(id.slice(0, 3), `${id}.mp3`)) {
      noFile++;
      continue;
    }
    found.push({ row, rel: `${id.slice(0, 3)}/${id}.mp3` });
  }
  if (!found.length)
    throw new DatasetError(
      `${layout.audio}: none of the ${mine.length} tracks of FMA ${layout.subset} in ${layout.tracksCsv} has a top ` +
        "genre and an mp3 here",
    );
  const labels = [...new Set(found.map((f) => f.row.genre))].sort();
  const index = new Map<string, number>();
  const split = new Map<string, Side>();
  const tracks: Track[] = found.map(({ row, rel }) => {
    const label = labels.indexOf(row.genre);
    const n = index.get(row.genre) ?? 0;
    index.set(row.genre, n + 1);
    const id = `${basename(layout.audio)}/${rel}`;
    const side = SIDES[row.split];
    if (side) split.set(id, side);
    return { id, genre: row.genre, label, index: n, path: join(layout.audio, rel) };
  });
  const notes = [
    noGenre ? `${noGenre} track(s) without a top genre skipped` : "",
    noFile ? `${noFile} listed track(s) without an mp3 in ${basename(layout.audio)}/ skipped` : "",
  ].filter(Boolean);
  return { root: layout.root, kind: "fma", labels, tracks, ignored: [], split, notes };
}
