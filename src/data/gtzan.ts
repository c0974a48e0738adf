// Finding GTZAN's tracks in a user's folder: the original layout (genres/<g>/<g>.000NN.au) or the
// Kaggle one (genres_original/<g>/<g>.000NN.wav), given either the top folder or the genres folder.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { isDir } from "../util/fs.js";
import { GENRES } from "./genres.js";
import { assertDataFolder, DatasetError, type Discovered, type Track } from "./track.js";

const TRACK = /^([a-z]+)\.(\d{5})\.(au|wav)$/;
const CANDIDATES = (dir: string): string[] => [
  dir,
  join(dir, "genres"),
  join(dir, "genres_original"),
  join(dir, "Data", "genres_original"),
];

/** The folder that directly contains the genre folders. */
export function findGenresRoot(dir: string): string {
  assertDataFolder(dir);
  const hit = CANDIDATES(dir).find((c) => GENRES.some((g) => isDir(join(c, g))));
  if (!hit) {
    throw new DatasetError(
      `${dir}: no GTZAN genre folders found (expected ${GENRES.slice(0, 2).join("/, ")}/, ... here or under genres/ ` +
        "or genres_original/)",
    );
  }
  return hit;
}

/** Whether `dir` is a GTZAN folder: a genre folder holding a file named as GTZAN names them. */
export function looksLikeGtzan(dir: string): boolean {
  return CANDIDATES(dir).some((c) =>
    GENRES.some((g) => {
      try {
        return readdirSync(join(c, g)).some((name) => TRACK.exec(name)?.[1] === g);
      } catch {
        return false;
      }
    }),
  );
}

/** Lists every track, in genre order then index order. A missing or empty genre folder is an error. */
export function discoverGtzan(dir: string): Discovered {
  const root = findGenresRoot(dir);
  const missing = GENRES.filter((g) => !isDir(join(root, g)));
  if (missing.length)
    throw new DatasetError(`${root}: missing genre folder${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  const tracks: Track[] = [];
  GENRES.forEach((genre, label) => {
    const folder = join(root, genre);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch (err) {
      throw new DatasetError(`${folder}: cannot list (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const found = names
      .flatMap((name) => {
        const m = TRACK.exec(name);
        return m && m[1] === genre
          ? [{ id: `${genre}.${m[2]}`, genre, label, index: Number(m[2]), path: join(folder, name) }]
          : [];
      })
      .sort((a, b) => a.index - b.index);
    if (!found.length) throw new DatasetError(`${folder}: no audio files named ${genre}.000NN.au or .wav`);
    const dup = found.find((t, i) => i > 0 && found[i - 1]!.index === t.index);
    if (dup) throw new DatasetError(`${folder}: ${dup.id} exists as both .au and .wav; keep one`);
    tracks.push(...found);
  });
  return { root, kind: "gtzan", labels: [...GENRES], tracks, ignored: [] };
}
