// `genrelab demo-data` and `genrelab prepare`: make the demo set; decode a data set into the cache
// and show what a run would train and test on.
import { homedir } from "node:os";
import { resolve, join } from "node:path";
import { existsSync } from "node:fs";
import {
  defaultCacheDir,
  defaultDemoOptions,
  discover,
  duplicatesAcross,
  loadDataset,
  songLength,
  makeSplit,
  writeDemoDataset,
  type DemoOptions,
  type SplitName,
} from "../data/index.js";
import { progress } from "./progress.js";

/**
 * Where `--data demo` lives: $GENRELAB_DEMO_DIR, or the per-user cache ($XDG_CACHE_HOME/genrelab/demo,
 * ~/.cache/genrelab/demo), so that it does not depend on the folder a command runs in.
 */
export const demoDir = (): string => {
  const env = process.env;
  return resolve(env.GENRELAB_DEMO_DIR || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "genrelab", "demo"));
};

export function makeDemoData(out: string, o: Partial<DemoOptions>, quiet = false): string {
  const bar = progress("demo data", quiet);
  const t0 = Date.now();
  writeDemoDataset(out, o, (done, total) => bar.update(done, total));
  bar.stop();
  if (!quiet) console.log(`demo data set: ${out} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return out;
}

/** `--data demo` makes (once) and uses the default demo set; anything else is a GTZAN folder or labelled folders. */
export function resolveData(data: string, quiet = false): string {
  if (data !== "demo") return resolve(data);
  const dir = demoDir();
  return makeDemoData(dir, defaultDemoOptions, quiet || existsSync(join(dir, "genrelab-demo.json")));
}

export async function prepare(o: {
  data: string;
  split: SplitName;
  seed: number;
  cache?: string;
  jobs?: number;
  quiet?: boolean;
}): Promise<void> {
  const dir = resolveData(o.data, o.quiet);
  const found = await discover(dir);
  const { root, tracks, labels } = found;
  const split = makeSplit(found, o.split, o.seed);
  const bar = progress("decoding", o.quiet);
  const t0 = Date.now();
  const data = await loadDataset(found, {
    cacheDir: o.cache ?? defaultCacheDir(root),
    jobs: o.jobs,
    stream: true,
    onWarning: (w) => process.stderr.write(`${w}\n`),
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.stop();
  const seconds = (Date.now() - t0) / 1000;
  const audioSeconds = data.songs.reduce((s, x) => s + songLength(x), 0) / data.sampleRate;
  console.log(
    `data set   ${root} (${{ gtzan: "GTZAN", fma: "FMA", folders: "labelled folders" }[found.kind]}: ` +
      `${labels.length} labels)`,
  );
  console.log(
    `tracks     ${tracks.length} found, ${data.songs.length} decoded at ${data.sampleRate} Hz ` +
      `(${(audioSeconds / 60).toFixed(1)} min of audio, ${seconds.toFixed(1)} s)`,
  );
  for (const ids of data.duplicates.slice(0, 20))
    console.log(`duplicate  the same file ${ids.length} times: ${ids.join(", ")}`);
  if (data.duplicates.length > 20) console.log(`duplicate  … and ${data.duplicates.length - 20} more groups`);
  for (const ids of duplicatesAcross(split, data.duplicates))
    console.log(`warning    on two sides of the split: ${ids.join(", ")}`);
  console.log(
    `split      ${o.split}: train ${split.train.length}, valid ${split.valid.length}, test ${split.test.length}`,
  );
  console.log(
    `per label  ${labels.map((g, i) => `${g} ${split.test.filter((t) => t.label === i).length}`).join(", ")} (test)`,
  );
  for (const note of found.notes ?? []) console.log(`note       ${note}`);
  if (found.kind === "fma" && o.split !== "fma")
    console.log("note       FMA's own training/validation/test split: --split fma");
  if (found.ignored.length)
    console.log(`ignored    ${found.ignored.length} folder(s) without audio: ${found.ignored.join(", ")}`);
  const short = data.songs.filter((s) => songLength(s) < 30 * data.sampleRate).length;
  if (short) console.log(`note       ${short} songs are shorter than 30 s; the generator uses their whole seconds`);
  if (data.skipped.length) {
    console.log(`skipped    ${data.skipped.length} file(s):`);
    for (const s of data.skipped) console.log(`  ${s.path}: ${s.reason}`);
  }
}
