// genrelab's command line. Each command is a thin shell over library functions.
import { Command, InvalidArgumentError, Option } from "commander";
import { doctor } from "./doctor.js";
import { selfcheck, type SelfcheckOptions } from "./selfcheck.js";
import { demoDir, makeDemoData, prepare } from "./data.js";
import { defaultDemoOptions, type SplitName } from "../data/index.js";

const int = (min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
  return n;
};

const program = new Command()
  .name("genrelab")
  .description("Learn to generate music of a chosen genre, learn to recognise genres, and ask the second what it hears in the first.")
  .showHelpAfterError();

program
  .command("doctor")
  .description("report the libtorch version, the BLAS and allocator actually loaded, and thread settings")
  .option("--json", "machine-readable output")
  .option("--strict", "exit with status 1 when there are warnings")
  .action((o: { json?: boolean; strict?: boolean }) => {
    process.exitCode = doctor(o);
  });

program
  .command("selfcheck")
  .description("train the study's generator and classifier for a few steps on synthetic signals; print losses and step times")
  .option("--steps <n>", "training steps per model", int(2), 15)
  .option("--seed <n>", "random seed", int(0), 0)
  .addOption(new Option("--only <network>", "train only one network").choices(["generator", "classifier"]))
  .action((o: SelfcheckOptions) => selfcheck(o));

program
  .command("demo-data")
  .description("write the synthetic 10-genre demo data set in GTZAN's layout (genres_original/<genre>/<genre>.000NN.wav)")
  .option("--out <dir>", "output folder", demoDir())
  .option("--songs <n>", "songs per genre", int(1), defaultDemoOptions.songsPerGenre)
  .option("--seconds <s>", "length of each song in seconds", int(1), defaultDemoOptions.seconds)
  .option("--seed <n>", "random seed", int(0), defaultDemoOptions.seed)
  .option("--quiet", "no progress bar")
  .action((o: { out: string; songs: number; seconds: number; seed: number; quiet?: boolean }) => {
    makeDemoData(o.out, { songsPerGenre: o.songs, seconds: o.seconds, seed: o.seed }, o.quiet);
  });

program
  .command("prepare")
  .description("decode a data set to 10 kHz into its cache and summarise files, split and skipped files")
  .requiredOption("--data <dir|demo>", "a GTZAN folder (genres/ or genres_original/ layout), or 'demo'")
  .addOption(new Option("--split <name>", "track-level split").choices(["seed", "fault-filtered"]).default("seed"))
  .option("--seed <n>", "split seed", int(0), 0)
  .option("--cache <dir>", "decoded-audio cache (default: <data>/.genrelab-cache)")
  .option("--quiet", "no progress bar")
  .action((o: { data: string; split: SplitName; seed: number; cache?: string; quiet?: boolean }) => prepare(o));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`genrelab: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
