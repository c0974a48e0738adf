// Which layout a data folder has: GTZAN (its file naming, its fault-filtered split), FMA (its metadata
// and split), or labelled folders.
import { statSync } from "node:fs";
import { discoverFma, findFma } from "./fma.js";
import { discoverFolders } from "./folders.js";
import { discoverGtzan, looksLikeGtzan } from "./gtzan.js";
import { DatasetError, type Discovered } from "./track.js";

export async function discover(dir: string): Promise<Discovered> {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DatasetError(`${dir}: data folder not found`);
  }
  if (!isDir) throw new DatasetError(`${dir}: not a folder`);
  if (looksLikeGtzan(dir)) return discoverGtzan(dir);
  const fma = findFma(dir);
  return fma ? discoverFma(fma) : discoverFolders(dir);
}
