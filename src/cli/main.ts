// genrelab's command line. Each command is a thin shell over library functions.
import { Command, InvalidArgumentError, Option } from "commander";
import { doctor } from "./doctor.js";
import { selfcheck, type SelfcheckOptions } from "./selfcheck.js";

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

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`genrelab: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
