// genrelab's command line. Each command is a thin shell over library functions.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { doctor } from "./doctor.js";
import { selfcheck, type SelfcheckOptions } from "./selfcheck.js";
import { demoDir, makeDemoData, prepare } from "./data.js";
import { generateCommand, trainGeneratorCommand, type GenerateFlags, type TrainGeneratorFlags } from "./generator.js";
import { runCommand, type RunFlags } from "./run.js";
import { launchCommand } from "./launch.js";
import { serveCommand } from "./serve.js";
import {
  classifyCommand,
  evaluateCommand,
  trainClassifierCommand,
  type EvaluateFlags,
  type TrainClassifierFlags,
} from "./classifier.js";
import { defaultDemoOptions, parseSplit, type SplitName } from "../data/index.js";
import { parseClassifierConfig } from "../train/classifier-config.js";
import { GENERATOR_PRESETS, parseGeneratorConfig } from "../train/generator-config.js";
import { dieWithParent } from "../torch/index.js";

// Started by the launcher (bin/genrelab.js): die with it, even when it is killed with SIGKILL. The
// variable is dropped so that processes this one starts do not take it as theirs.
const launcher = Number(process.env.GENRELAB_PARENT_PID);
delete process.env.GENRELAB_PARENT_PID;
if (launcher > 0 && !dieWithParent(launcher)) process.exit(1);

const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
};
const nonNegative = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && Number.isFinite(n))) throw new InvalidArgumentError("expected a number ≥ 0");
  return n;
};
const seconds01 = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected seconds from 0 to 1");
  return n;
};
/** The "Examples" block of a command's --help. */
const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
const DATA_HELP =
  "a data folder (GTZAN; FMA; or one folder per label: <dir>/<label>/**/*.{wav,mp3,flac,ogg,au}), or 'demo' for the synthetic set";
const SPLIT_HELP =
  "track-level split: seed (stratified by label, 10 % test), fault-filtered (GTZAN's artist-filtered lists), " +
  "fma (FMA's own), fold:K/N (fold K of a stratified N-fold split) or file:PATH (lines '<path below the data folder> <train|valid|test>')";
const splitArg = (v: string): SplitName => {
  try {
    const s = parseSplit(v);
    return s.startsWith("file:") ? `file:${resolve(s.slice("file:".length))}` : s;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};
const splitOption = () => new Option("--split <spec>", SPLIT_HELP).argParser(splitArg).default("seed");

const int =
  (min: number, max = 2 ** 31 - 1) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
const between =
  (min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !(n >= min && n <= max))
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return n;
  };
// Upper bounds keep one command's memory and time sane (a 10,000 s clip took 5.8 GB).
const MAX_GENERATE_SECONDS = 600;
const MAX_CLIPS_PER_GENRE = 1000;

// Defaults shown in --help come from the settings' schemas, the one place they are set.
const cls = parseClassifierConfig({});
const gen = parseGeneratorConfig({});
const copyGen = parseGeneratorConfig({ preset: "copy" });

const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const program = new Command()
  .name("genrelab")
  .version(version)
  .description(
    "Learn to generate music of a chosen genre, learn to recognise genres, and ask the second what it hears in the first.",
  )
  .showHelpAfterError();

program
  .command("doctor")
  .description("report the libtorch version, the BLAS and allocator actually loaded, and thread settings")
  .option("--json", "machine-readable output")
  .option("--strict", "exit with status 1 when there are warnings")
  .addHelpText("after", examples("genrelab doctor", "genrelab doctor --json --strict"))
  .action((o: { json?: boolean; strict?: boolean }) => {
    process.exitCode = doctor(o);
  });

program
  .command("selfcheck")
  .description(
    "train the study's generator and classifier for a few steps on synthetic signals; print losses and step times",
  )
  .option("--steps <n>", "training steps per model", int(2), 15)
  .option("--seed <n>", "random seed", int(0), 0)
  .addOption(new Option("--only <network>", "train only one network").choices(["generator", "classifier"]))
  .addHelpText("after", examples("genrelab selfcheck"))
  .action((o: SelfcheckOptions) => selfcheck(o));

program
  .command("demo-data")
  .description(
    "write the synthetic 10-genre demo data set in GTZAN's layout (genres_original/<genre>/<genre>.000NN.wav)",
  )
  .option("--out <dir>", "output folder", demoDir())
  .option("--songs <n>", "songs per genre (at most 1000)", int(1, 1000), defaultDemoOptions.songsPerGenre)
  .option("--seconds <s>", "length of each song in seconds (at most 600)", int(1, 600), defaultDemoOptions.seconds)
  .option("--seed <n>", "random seed", int(0), defaultDemoOptions.seed)
  .option("--quiet", "no progress bar")
  .addHelpText("after", examples("genrelab demo-data --out data/demo --songs 20 --seconds 30"))
  .action((o: { out: string; songs: number; seconds: number; seed: number; quiet?: boolean }) => {
    makeDemoData(o.out, { songsPerGenre: o.songs, seconds: o.seconds, seed: o.seed }, o.quiet);
  });

program
  .command("prepare")
  .description("decode a data set to 10 kHz into its cache and summarise files, split and skipped files")
  .requiredOption("--data <dir|demo>", DATA_HELP)
  .addOption(splitOption())
  .option("--seed <n>", "split seed", int(0), 0)
  .option("--cache <dir>", "decoded-audio cache (default: <data>/.genrelab-cache)")
  .option("--jobs <n>", "decoding processes (default: one per core)", int(1, 256))
  .option("--quiet", "no progress bar")
  .addHelpText(
    "after",
    examples(
      "genrelab prepare --data ~/gtzan --split fault-filtered",
      "genrelab prepare --data ~/fma --split fma --jobs 2",
    ),
  )
  .action((o: { data: string; split: SplitName; seed: number; cache?: string; jobs?: number; quiet?: boolean }) =>
    prepare(o),
  );

program
  .command("train-classifier")
  .description(
    "train the genre classifier (mel spectrograms → 5 conv layers with batch norm → linear) on original audio",
  )
  .requiredOption("--data <dir|demo>", DATA_HELP)
  .requiredOption("--out <run-dir>", "run folder (checkpoints/, metrics/, eval/)")
  .addOption(splitOption())
  .option("--config <file.json>", 'training settings (its "classifier" key or the whole file)')
  .option("--epochs <n>", `epochs (default ${cls.epochs})`, int(1))
  .option("--batch-size <n>", `windows per batch (default ${cls.batchSize})`, int(1))
  .option("--lr <x>", `Adam learning rate (default ${cls.lr}${cls.lr === 1e-4 ? ", the study's" : ""})`, num)
  .option("--seed <n>", `seed for the split, initialisation and shuffling (default ${cls.seed})`, int(0))
  .option("--threads <n>", `intra-op threads (default ${cls.threads})`, int(1, 256))
  .option(
    "--patience <n>",
    `early stopping after n epochs without improvement; 0 = off (default ${cls.patience})`,
    int(0),
  )
  .option(
    "--folds <n>",
    "cross-validation: one classifier per fold of a stratified n-fold split (fold:K/n) in <out>/fold-K, then each fold's and the mean ± sd test accuracy (folds.json)",
    int(3, 100),
  )
  .option(
    "--sync-batch-norm",
    "under launch: batch norm statistics over every rank's batch together (default: each rank's own, as DDP)",
  )
  .option("--resume", "continue from the run's last checkpoint")
  .option("--quiet", "no progress bar or per-epoch lines")
  .addHelpText(
    "after",
    examples(
      "genrelab train-classifier --data ~/music --out runs/c1",
      "genrelab train-classifier --data ~/music --out runs/cv --folds 5",
    ),
  )
  .action((o: TrainClassifierFlags) => trainClassifierCommand(o));

program
  .command("evaluate <checkpoint>")
  .description(
    "accuracy (window and song level), per-genre precision/recall/F1 and confusion matrix of a classifier, as JSON",
  )
  .option("--data <dir|demo>", `${DATA_HELP}: evaluate on its songs of --set`)
  .option(
    "--clips <dir>",
    "evaluate on generated clips named <genre>.<k>.wav, each beside <genre>.<k>.real.wav when present (with --data: also Fréchet distances to its test songs and the copy check against its training songs)",
  )
  .addOption(splitOption())
  .addOption(new Option("--set <name>", "which songs").choices(["train", "valid", "test", "all"]).default("test"))
  .option("--seed <n>", "split seed", int(0), 0)
  .option("--out <file.json>", "write the JSON here instead of stdout")
  .option("--quiet", "no progress bar")
  .addHelpText(
    "after",
    examples(
      "genrelab evaluate runs/c1/checkpoints/classifier.best --data ~/music --set test --out test.json",
      "genrelab evaluate runs/c1/checkpoints/classifier.best --clips runs/g1/clips",
    ),
  )
  .action((checkpoint: string, o: EvaluateFlags) => evaluateCommand(checkpoint, o));

program
  .command("classify <checkpoint> <files...>")
  .description("name the genre of audio files (wav, au, mp3, flac, ogg; any length) by voting over 5 s windows")
  .option("--json", "machine-readable output")
  .addHelpText("after", examples("genrelab classify runs/c1/checkpoints/classifier.best song.mp3 other.wav --json"))
  .action((checkpoint: string, files: string[], o: { json?: boolean }) => classifyCommand(checkpoint, files, o));

program
  .command("train-generator")
  .description(
    "train the audio generator: by default spectral tokens and a genre-conditioned GRU language model over them (--preset genrelab); --preset copy: Conv1D → biGRU → a copy of its own past at a lag it chooses; --preset study: the paper's Conv1D → biGRU → Linear(1000), 0.9 s in, the next 0.1 s out",
  )
  .requiredOption("--data <dir|demo>", DATA_HELP)
  .requiredOption("--out <run-dir>", "run folder (checkpoints/, metrics/)")
  .addOption(splitOption())
  .option(
    "--genre <name>",
    "train on one genre, or 'all' (a conditioned model); default: one conditioned model for all genres, or with --preset study one model per genre in turn",
  )
  .addOption(
    new Option(
      "--preset <name>",
      "generator recipe: genrelab (default: the token model; see docs/GENERATOR.md), copy (the waveform model with its copy path) or study (the paper's model and training exactly)",
    ).choices([...GENERATOR_PRESETS]),
  )
  .option("--conditioned", "one model for all genres, with a learned genre embedding")
  .addOption(new Option("--cell <type>", "recurrent cell").choices(["gru", "lstm"]))
  .option("--unidirectional", "a one-directional recurrent layer")
  .addOption(
    new Option(
      "--head <type>",
      "waveform model's output: regress samples (MSE) or a 256-way mu-law distribution per sample",
    ).choices(["linear", "mulaw"]),
  )
  .option("--config <file.json>", 'training settings (its "generator" key or the whole file)')
  .option("--epochs <n>", `epochs (default ${gen.epochs}; the copy and study presets ${copyGen.epochs})`, int(1))
  .option("--lr <x>", `Adam learning rate (default ${gen.lr}; the copy and study presets ${copyGen.lr})`, num)
  .option(
    "--jitter <s>",
    "one-step training (as --preset study): move each clip's start by up to ±s seconds per epoch; 0 = the study's fixed clips (the study preset's default)",
    seconds01,
  )
  .option("--seed <n>", `seed for the split, initialisation and song order (default ${gen.seed})`, int(0))
  .option(
    "--threads <n>",
    `intra-op threads (default ${gen.threads}; the copy and study presets ${copyGen.threads}: a second one gains little and unreliably for their GRU)`,
    int(1, 256),
  )
  .option("--resume", "continue from the run's last checkpoints")
  .option("--quiet", "no progress bar or per-epoch lines")
  .addHelpText(
    "after",
    examples(
      "genrelab train-generator --data demo --out runs/g1",
      "genrelab train-generator --data demo --out runs/g2 --preset study --genre jazz",
    ),
  )
  .action((o: TrainGeneratorFlags) => trainGeneratorCommand(o));

program
  .command("generate <checkpoint>")
  .description("write clips continued from 0.9 s seeds of held-out songs (16-bit 10 kHz WAV + JSON sidecar)")
  .requiredOption("--seed-from <dir|file>", "a data folder (seeds from its test split) or one audio file")
  .requiredOption("--out <dir>", "output folder")
  .option(
    "--seconds <s>",
    `seconds to generate per clip (0.1–${MAX_GENERATE_SECONDS})`,
    between(0.1, MAX_GENERATE_SECONDS),
    5,
  )
  .option("--genre <name>", "genre to generate (a conditioned model; default every genre)")
  .option("--count <n>", `clips per genre (at most ${MAX_CLIPS_PER_GENRE})`, int(1, MAX_CLIPS_PER_GENRE), 1)
  .option(
    "--temperature <t>",
    "sampling temperature of a token model's tokens, a mu-law head's levels or the delay path's lags (0 = the most likely; default: the model's own: tokens as trained for, mu-law 1, delay 0)",
    nonNegative,
  )
  .option(
    "--tempo <bpm>",
    "beats a minute (a model with the beat clock, as genrelab's default; default: each genre's usual tempo)",
    between(30, 240),
  )
  .option("--seed <n>", "seed for choosing seeds and sampling", int(0), 0)
  .addOption(splitOption())
  .option("--threads <n>", "libtorch threads (one per core)", int(1, 256), availableParallelism())
  .option("--quiet", "no summary line")
  .addHelpText(
    "after",
    examples(
      "genrelab generate runs/g1/checkpoints/generator-all.best --seed-from demo --genre jazz --out clips --count 10",
      "genrelab generate runs/g1/checkpoints/generator-all.best --seed-from demo --genre blues --tempo 80 --out clips",
    ),
  )
  .action((checkpoint: string, o: GenerateFlags) => generateCommand(checkpoint, o));

program
  .command("run")
  .description(
    "the whole study: data → classifier → generators → 5 s clips from test seeds → classification → HTML report",
  )
  .requiredOption("--data <dir|demo>", DATA_HELP)
  .option("--out <run-dir>", "run folder (default runs/<data name>)")
  .option("--config <file.json>", "settings: {split, seed, classifier: {...}, generator: {...}, generation: {...}}")
  .addOption(new Option("--split <spec>", `${SPLIT_HELP} (default seed)`).argParser(splitArg))
  .addOption(
    new Option(
      "--preset <name>",
      "generator recipe: genrelab (default: the token model; see docs/GENERATOR.md), copy (the waveform model with its copy path) or study (the paper's model and training exactly)",
    ).choices([...GENERATOR_PRESETS]),
  )
  .option("--resume", "continue a stopped run; finished stages are skipped")
  .option("--quick", "tiny models and short training: the whole pipeline in a minute or two")
  .option("--quiet", "no progress bars or per-epoch lines")
  .addHelpText(
    "after",
    examples(
      "genrelab run --data demo",
      "genrelab run --data ~/music --out runs/mine --split fold:1/5",
      "genrelab run --data demo --out runs/study --preset study",
    ),
  )
  .action((o: RunFlags) => runCommand(o));

program
  .command("launch")
  .description(
    "train on N local ranks of one data-parallel group (c10d Gloo), as torchrun does: each runs the command with WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; per-rank batch sizes, gradients averaged, rank 0 writes",
  )
  .argument("<command...>", "train-classifier, train-generator or run, and its options, after --")
  .requiredOption("--nproc <n>", "ranks to start", int(1, 64))
  .option("--port <n>", "rank 0's rendezvous port (default: a free one)", int(1, 65535))
  .option("--timeout <s>", "seconds a rank waits for the others before it fails (default 60)", int(1, 86_400))
  .addHelpText(
    "after",
    examples(
      "genrelab launch --nproc 2 -- train-generator --data demo --out runs/g-dp",
      "WORLD_SIZE=2 RANK=1 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 genrelab train-classifier --data ~/music --out runs/c   # rank 1 of 2 machines",
    ),
  )
  .action((command: string[], o: { nproc: number; port?: number; timeout?: number }) => launchCommand(command, o));

program
  .command("serve")
  .description("the web dashboard: runs, live training curves, listening, upload-and-classify, generate")
  .option("--runs <dir>", "folder of run folders", "runs")
  .option("--port <n>", "port (0 = any free one)", int(0, 65535), 8080)
  .option("--host <address>", "address to bind (loopback: this machine only)", "127.0.0.1")
  .option("--upload-limit <MB>", "largest upload accepted (at most 1024)", between(0.001, 1024), 50)
  .addHelpText("after", examples("genrelab serve --runs runs --port 8080"))
  .action((o: { runs: string; port: number; host: string; uploadLimit: number }) => serveCommand(o));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`genrelab: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
