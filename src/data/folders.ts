// Any labelled collection: DIR/<label>/**/<audio file>; the labels are the top folder names.
import { readdirSync, statSync, type Dirent } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { AUDIO_EXTENSIONS } from "../audio/index.js";
import { DatasetError, type Discovered, type Track } from "./track.js";

const AUDIO = new Set<string>(AUDIO_EXTENSIONS);
// Bounds for hostile trees: depth below a label folder and files in the whole collection.
const MAX_DEPTH = 32;
const MAX_FILES = 2_000_000;

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new DatasetError(`${dir}: cannot list (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Whether a directory entry is a folder / a file, following symbolic links (a dangling link is neither). */
function kindOf(dir: string, e: Dirent): "dir" | "file" | null {
  if (e.isDirectory()) return "dir";
  if (e.isFile()) return "file";
  if (!e.isSymbolicLink()) return null;
  try {
    const s = statSync(join(dir, e.name));
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

/**
 * Audio files below a label folder, sorted. Linked files count; linked folders inside a label are not
 * followed (a link back up the tree would pull other labels' songs in, or loop).
 */
function audioFiles(dir: string, depth: number, count: { n: number }): string[] {
  if (depth > MAX_DEPTH) return [];
  const out: string[] = [];
  for (const e of list(dir).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".")) continue;
    const kind = kindOf(dir, e);
    if (kind === "dir" && !e.isSymbolicLink()) out.push(...audioFiles(join(dir, e.name), depth + 1, count));
    else if (kind === "file" && AUDIO.has(extname(e.name).toLowerCase())) {
      if (++count.n > MAX_FILES) throw new DatasetError(`${dir}: more than ${MAX_FILES} audio files in the collection`);
      out.push(join(dir, e.name));
    }
  }
  return out;
}

function checkLabel(root: string, name: string): void {
  // Labels become file names, table cells and JSON keys: no control characters, a sane length.
  if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127) || name.length > 100) {
    throw new DatasetError(
      `${join(root, name)}: a label folder's name must be ≤ 100 characters without control characters`,
    );
  }
}

/** Every audio file under each non-hidden folder of `root`; folders without audio are ignored (and listed). */
export function discoverFolders(root: string): Discovered {
  const labels: string[] = [];
  const tracks: Track[] = [];
  const ignored: string[] = [];
  const count = { n: 0 };
  const folders = list(root)
    .filter((e) => !e.name.startsWith(".") && kindOf(root, e) === "dir")
    .map((e) => e.name)
    .sort();
  for (const name of folders) {
    checkLabel(root, name);
    const files = audioFiles(join(root, name), 0, count);
    if (!files.length) {
      ignored.push(name);
      continue;
    }
    const label = labels.push(name) - 1;
    files.forEach((path, index) =>
      tracks.push({ id: relative(root, path).split(sep).join("/"), genre: name, label, index, path }),
    );
  }
  if (labels.length < 2) {
    const found = labels.length ? `only one folder with audio (${labels[0]})` : "no folders with audio files";
    throw new DatasetError(
      `${root}: ${found}; expected one folder per label, each holding ${[...AUDIO].join("/")} files (or a GTZAN ` +
        "folder)",
    );
  }
  return { root, kind: "folders", labels, tracks, ignored };
}
