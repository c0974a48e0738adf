// The classifier's commands: train-classifier, evaluate and classify (their work is in classifier.ts).
import { type Command, Option } from "commander";
import { parseClassifierConfig } from "../train/classifier-config.js";
import { DATA_HELP, examples, int, num, splitOption } from "./args.js";
import {
  classifyCommand,
  evaluateCommand,
  trainClassifierCommand,
  type EvaluateFlags,
  type TrainClassifierFlags,
} from "./classifier.js";

// Defaults shown in --help come from the settings' schema, the one place they are set.
const cls = parseClassifierConfig({});

export function addClassifierCommands(program: Command): void {
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
      "cross-validation: one classifier per fold of a stratified n-fold split (fold:K/n) in <out>/fold-K, then each " +
        "fold's and the mean ± sd test accuracy (folds.json)",
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
      "evaluate on generated clips named <genre>.<k>.wav, each beside <genre>.<k>.real.wav when present (with " +
        "--data: also Fréchet distances to its test songs and the copy check against its training songs)",
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
}
