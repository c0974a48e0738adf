// genrelab's command line. Each command is a thin shell over library functions.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { defaultDemoOptions, type SplitName } from "../data/index.js";
import { dieWithParent } from "../torch/index.js";
import { between, DATA_HELP, examples, int, presetOption, SPLIT_HELP, splitArg, splitOption } from "./args.js";
import { addClassifierCommands } from "./classifier-commands.js";
import { demoDir, makeDemoData, prepare } from "./data.js";
import { doctor } from "./doctor.js";
import { addGeneratorCommands } from "./generator-commands.js";
import { launchCommand } from "./launch.js";
import { runCommand, type RunFlags } from "./run.js";
import { selfcheck, type SelfcheckOptions } from "./selfcheck.js";
import { serveCommand } from "./serve.js";

// Started by the launcher (bin/genrelab.js): die with it, even when it is killed with SIGKILL. The
// variable is dropped so that processes this one starts do not take it as theirs.
const launcher = Number(process.env.GENRELAB_PARENT_PID);
delete process.env.GENRELAB_PARENT_PID;
if (launcher > 0 && !dieWithParent(launcher)) process.exit(1);

const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const program = new Command()
  .name("genrelab")
  .version(version)
  .description(
    "Learn to generate music of a chosen genre, learn to recognise genres, and ask the second what it hears in the " +
      "first.",
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

addClassifierCommands(program);
addGeneratorCommands(program);

program
  .command("run")
  .description(
    "the whole study: data → classifier → generators → 5 s clips from test seeds → classification → HTML report",
  )
  .requiredOption("--data <dir|demo>", DATA_HELP)
  .option("--out <run-dir>", "run folder (default runs/<data name>)")
  .option("--config <file.json>", "settings: {split, seed, classifier: {...}, generator: {...}, generation: {...}}")
  .addOption(new Option("--split <spec>", `${SPLIT_HELP} (default seed)`).argParser(splitArg))
  .addOption(presetOption())
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
    "train on N local ranks of one data-parallel group (c10d Gloo), as torchrun does: each runs the command with " +
      "WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; per-rank batch sizes, gradients averaged, rank 0 " +
      "writes",
  )
  .argument("<command...>", "train-classifier, train-generator or run, and its options, after --")
  .requiredOption("--nproc <n>", "ranks to start", int(1, 64))
  .option("--port <n>", "rank 0's rendezvous port (default: a free one)", int(1, 65535))
  .option("--timeout <s>", "seconds a rank waits for the others before it fails (default 60)", int(1, 86_400))
  .addHelpText(
    "after",
    examples(
      "genrelab launch --nproc 2 -- train-generator --data demo --out runs/g-dp",
      "WORLD_SIZE=2 RANK=1 MASTER_ADDR=10.0.0.1 MASTER_PORT=29500 genrelab train-classifier --data ~/music --out " +
        "runs/c   # rank 1 of 2 machines",
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
