// The generator's commands: train-generator and generate (their work is in generator.ts).
import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import { parseGeneratorConfig } from "../train/generator-config.js";
import {
  between,
  DATA_HELP,
  examples,
  int,
  MAX_CLIPS_PER_GENRE,
  MAX_GENERATE_SECONDS,
  nonNegative,
  num,
  presetOption,
  seconds01,
  splitOption,
} from "./args.js";
import { generateCommand, trainGeneratorCommand, type GenerateFlags, type TrainGeneratorFlags } from "./generator.js";

// Defaults shown in --help come from the settings' schemas, the one place they are set.
const gen = parseGeneratorConfig({});
const copyGen = parseGeneratorConfig({ preset: "copy" });

export function addGeneratorCommands(program: Command): void {
  program
    .command("train-generator")
    .description(
      "train the audio generator: by default spectral tokens and a genre-conditioned GRU language model over them " +
        "(--preset genrelab); --preset copy: Conv1D → biGRU → a copy of its own past at a lag it chooses; --preset " +
        "study: the paper's Conv1D → biGRU → Linear(1000), 0.9 s in, the next 0.1 s out",
    )
    .requiredOption("--data <dir|demo>", DATA_HELP)
    .requiredOption("--out <run-dir>", "run folder (checkpoints/, metrics/)")
    .addOption(splitOption())
    .option(
      "--genre <name>",
      "train on one genre, or 'all' (a conditioned model); default: one conditioned model for all genres, or with " +
        "--preset study one model per genre in turn",
    )
    .addOption(presetOption())
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
      "one-step training (as --preset study): move each clip's start by up to ±s seconds per epoch; 0 = the study's " +
        "fixed clips (the study preset's default)",
      seconds01,
    )
    .option("--seed <n>", `seed for the split, initialisation and song order (default ${gen.seed})`, int(0))
    .option(
      "--threads <n>",
      `intra-op threads (default ${gen.threads}; the copy and study presets ${copyGen.threads}: a second one gains ` +
        "little and unreliably for their GRU)",
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
      "sampling temperature of a token model's tokens, a mu-law head's levels or the delay path's lags (0 = the most " +
        "likely; default: the model's own: tokens as trained for, mu-law 1, delay 0)",
      nonNegative,
    )
    .option(
      "--tempo <bpm>",
      "beats a minute (a model with the beat clock, as genrelab's default; default: each genre's usual tempo)",
      between(30, 240),
    )
    .option(
      "--beat-guidance <w>",
      "a token model with the beat clock: weigh what it draws on the beat against what it draws half a beat " +
        "later (1 = none; 1.5 keeps time more tightly at ~20 % more time: docs/GENERATOR.md, item 21)",
      between(1, 5),
    )
    .option("--seed <n>", "seed for choosing seeds and sampling", int(0), 0)
    .addOption(splitOption())
    .option("--threads <n>", "libtorch threads (one per core)", int(1, 256), availableParallelism())
    .option("--quiet", "no summary line")
    .addHelpText(
      "after",
      examples(
        "genrelab generate runs/g1/checkpoints/generator-all.best --seed-from demo --genre jazz --out clips --count 10",
        "genrelab generate runs/g1/checkpoints/generator-all.best --seed-from demo --genre blues --tempo 80 --out " +
          "clips",
      ),
    )
    .action((checkpoint: string, o: GenerateFlags) => generateCommand(checkpoint, o));
}
