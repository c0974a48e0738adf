// Which layout a data folder has: GTZAN (its file naming, its fault-filtered split), FMA (its metadata
// and split), or labelled folders.
import { discoverFma, findFma } from "./fma.js";
import { discoverFolders } from "./folders.js";
import { discoverGtzan, looksLikeGtzan } from "./gtzan.js";
import { assertDataFolder, type Discovered } from "./track.js";

export async function discover(dir: string): Promise<Discovered> {
  assertDataFolder(dir);
  if (looksLikeGtzan(dir)) return discoverGtzan(dir);
  const fma = findFma(dir);
  return fma ? discoverFma(fma) : discoverFolders(dir);
}
