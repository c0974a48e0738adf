// Finding GTZAN's tracks in a user's folder: the original layout (genres/<g>/<g>.000NN.au) or the
// Kaggle one (genres_original/<g>/<g>.000NN.wav), given either the top folder or the genres folder.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { GENRES, type Genre } from "./genres.js";

export interface Track {
  /** GTZAN's stem, e.g. "jazz.00054": unique within the data set. */
  id: string;
  genre: Genre;
  label: number;
  /** GTZAN's index within the genre (the NN in <genre>.000NN). */
  index: number;
  path: string;
}

export interface Discovered {
  /** The folder holding the ten genre folders. */
  root: string;
  tracks: Track[];
}

const TRACK = /^([a-z]+)\.(\d{5})\.(au|wav)$/;

/** Error for a data folder the user must fix; the message names the folder. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The folder that directly contains the genre folders. */
export function findGenresRoot(dir: string): string {
  if (!existsSync(dir)) throw new DatasetError(`${dir}: data folder not found`);
  if (!isDir(dir)) throw new DatasetError(`${dir}: not a folder`);
  const candidates = [dir, join(dir, "genres"), join(dir, "genres_original"), join(dir, "Data", "genres_original")];
  const hit = candidates.find((c) => GENRES.some((g) => isDir(join(c, g))));
  if (!hit) {
    throw new DatasetError(`${dir}: no GTZAN genre folders found (expected ${GENRES.slice(0, 2).join("/, ")}/, ... here or under genres/ or genres_original/)`);
  }
  return hit;
}

/** Lists every track, in genre order then index order. A missing or empty genre folder is an error. */
export function discoverGtzan(dir: string): Discovered {
  const root = findGenresRoot(dir);
  const missing = GENRES.filter((g) => !isDir(join(root, g)));
  if (missing.length) throw new DatasetError(`${root}: missing genre folder${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  const tracks: Track[] = [];
  GENRES.forEach((genre, label) => {
    const folder = join(root, genre);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch (err) {
      throw new DatasetError(`${folder}: cannot list (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const found = names.flatMap((name) => {
      const m = TRACK.exec(name);
      return m && m[1] === genre ? [{ id: `${genre}.${m[2]}`, genre, label, index: Number(m[2]), path: join(folder, name) }] : [];
    }).sort((a, b) => a.index - b.index);
    if (!found.length) throw new DatasetError(`${folder}: no audio files named ${genre}.000NN.au or .wav`);
    const dup = found.find((t, i) => i > 0 && found[i - 1].index === t.index);
    if (dup) throw new DatasetError(`${folder}: ${dup.id} exists as both .au and .wav; keep one`);
    tracks.push(...found);
  });
  return { root, tracks };
}
