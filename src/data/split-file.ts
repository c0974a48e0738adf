// A user's own split: one track per line, its path below the data folder (or its id) and its side,
// e.g. "Bossa Nova/Getz/track 03.mp3 test". Tracks not listed are left out; '#' starts a comment.
import { readFileSync, statSync } from "node:fs";
import { relative, sep } from "node:path";
import type { Split } from "./splits.js";
import { DatasetError, type Discovered, type Side, type Track } from "./track.js";

const SIDES: Record<string, Side> = {
  train: "train",
  training: "train",
  valid: "valid",
  validation: "valid",
  test: "test",
};
const MAX_BYTES = 64 * 2 ** 20;

export function splitFromFile(path: string, d: Discovered): Split {
  let text: string;
  try {
    if (statSync(path).size > MAX_BYTES) throw new DatasetError(`${path}: a split file over ${MAX_BYTES / 2 ** 20} MB`);
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(
      `${path}: cannot read the split file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  const byKey = new Map<string, Track>();
  for (const t of d.tracks) {
    byKey.set(t.id, t);
    byKey.set(relative(d.root, t.path).split(sep).join("/"), t);
  }
  const out: Split = { train: [], valid: [], test: [] };
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    const side = m ? SIDES[m[2]!.toLowerCase()] : undefined;
    if (!m || !side)
      throw new DatasetError(`${path}:${i + 1}: expected '<path below the data folder> <train|valid|test>'`);
    const track = byKey.get(m[1]!.replace(/^\.\//, ""));
    if (!track) throw new DatasetError(`${path}:${i + 1}: no track '${m[1]}' in ${d.root}`);
    if (seen.has(track.id)) throw new DatasetError(`${path}:${i + 1}: '${m[1]}' is listed twice`);
    seen.add(track.id);
    out[side].push(track);
  });
  if (!out.train.length) throw new DatasetError(`${path}: no training tracks listed`);
  return out;
}
