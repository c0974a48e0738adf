// `genrelab run`: the whole study in one command, resumable; prints where the report is.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseRunConfig, parseSavedRunConfig, quickPreset, type RunConfig } from "../pipeline/config.js";
import type { GeneratorPreset } from "../train/generator-presets.js";
import type { SplitName } from "../data/index.js";
import { broadcastJson } from "../train/distributed.js";
import { asRank } from "./rank.js";
import { LOCK_FILE, lockFolder } from "../util/lock.js";
import { isAtomicTemp } from "../util/fs.js";
import { readJsonFile } from "../util/json.js";
import { deepMerge } from "../util/merge.js";
import { runPaths } from "../pipeline/paths.js";
import { runPipeline } from "../pipeline/run.js";
import { buildReport } from "../report/build.js";
import { readConfigFile } from "./config-file.js";
import { resolveData } from "./data.js";
import { noteStaleTemps, progress, type Progress } from "./progress.js";

export interface RunFlags {
  data: string;
  out?: string;
  config?: string;
  split?: SplitName;
  preset?: GeneratorPreset;
  resume?: boolean;
  quick?: boolean;
  quiet?: boolean;
}

export async function runCommand(flags: RunFlags): Promise<void> {
  // Every rank trains; rank 0 decides, writes and reports.
  const { group, lead, f } = asRank(flags);
  const out = f.out ?? `runs/${f.data === "demo" ? "demo" : basename(f.data)}`;
  // Rank 0's settings (new, or those saved in the run it resumes) are every rank's.
  const config = lead ? runConfig(f, out) : null;
  if (lead) noteStaleTemps(lockFolder(out, "run"), out);
  const data = resolveData(f.data, f.quiet);
  const bars = new Map<string, Progress>();
  const t0 = Date.now();
  const result = await runPipeline({
    data,
    out,
    config: group ? broadcastJson(group, config) : config!,
    group,
    hooks: {
      log: (line) => {
        if (!f.quiet) {
          bars.forEach((b) => b.stop());
          bars.clear();
          console.log(line);
        }
      },
      warn: (line) => process.stderr.write(`${line}\n`),
      progress: (stage, done, total, note) => {
        let bar = bars.get(stage);
        if (!bar) bars.set(stage, (bar = progress(stage, f.quiet)));
        bar.update(done, total, note);
      },
      stageDone: (stage) => {
        bars.get(stage)?.stop();
        bars.delete(stage);
      },
    },
  });
  if (!result) return;
  const index = await buildReport(result.paths, { ...result.timings, total: (Date.now() - t0) / 1000 });
  const results = resultsLine(join(result.paths.report, "summary.json"));
  if (results) console.log(results);
  console.log(`report: ${relative(process.cwd(), index) || index} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

/** A new run's settings from the flags and config file, or those saved in the run being resumed. */
function runConfig(f: RunFlags, out: string): RunConfig {
  const p = runPaths(out);
  if (existsSync(p.config)) {
    if (!f.resume) throw new Error(`${out} already holds a run; add --resume to continue it, or choose another --out`);
    if (f.config || f.quick || f.split || f.preset)
      process.stderr.write(
        `note: resuming with the settings saved in ${p.config}; --config/--quick/--split/--preset are ignored\n`,
      );
    return parseSavedRunConfig(JSON.parse(readFileSync(p.config, "utf8")), p.config);
  }
  // `make demo` passes --resume on its first run too; a folder with other things in it is not a run.
  // (A run killed while writing its config.json leaves only its lock and a temporary file.)
  if (f.resume && existsSync(out) && readdirSync(out).some((name) => name !== LOCK_FILE && !isAtomicTemp(name))) {
    throw new Error(
      `${out}: nothing to resume (no config.json; is it a run folder?); choose another --out or empty it`,
    );
  }
  if (f.resume && !f.quiet) process.stderr.write(`note: nothing to resume in ${out}; starting a new run\n`);
  const base = f.quick ? quickPreset : {};
  const flags = { ...(f.split ? { split: f.split } : {}), ...(f.preset ? { generator: { preset: f.preset } } : {}) };
  return parseRunConfig(deepMerge(deepMerge(base, readConfigFile(f.config, "run")), flags), f.config ?? "run settings");
}

/** The run's key numbers in one line, from the report's summary.json (null if it holds none). */
function resultsLine(summaryPath: string): string | null {
  const s = readJsonFile<{
    classifier?: { test?: { songAccuracy: number } | null };
    generated?: { accuracy: number; realContinuationAccuracy: number | null } | null;
  }>(summaryPath, { lenient: true });
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const realShare = (g: { realContinuationAccuracy: number | null }) =>
    g.realContinuationAccuracy === null ? "" : ` (real continuations: ${pct(g.realContinuationAccuracy)})`;
  const parts = [
    s?.classifier?.test ? `classifier: ${pct(s.classifier.test.songAccuracy)} of the test songs` : null,
    s?.generated ? `generated clips heard as their genre: ${pct(s.generated.accuracy)}${realShare(s.generated)}` : null,
  ].filter(Boolean);
  return parts.length ? `results: ${parts.join("; ")}` : null;
}
