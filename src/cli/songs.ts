// Loading the songs of a split for a command: 'demo' resolution, progress bar, warnings on stderr.
import { loadSplitSongs as load, type SplitName, type SplitSongs } from "../data/index.js";
import { resolveData } from "./data.js";
import { progress } from "./progress.js";

export async function loadSplitSongs(o: {
  data: string;
  split: SplitName;
  seed: number;
  cache?: string;
  quiet?: boolean;
}): Promise<SplitSongs> {
  const bar = progress("decoding", o.quiet);
  try {
    return await load(resolveData(o.data, o.quiet), {
      split: o.split,
      seed: o.seed,
      cacheDir: o.cache,
      onWarning: (w) => process.stderr.write(`${w}\n`),
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
}
