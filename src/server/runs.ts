// Reading run folders for the dashboard: the list, one run's details, checkpoints. Read-only.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readJsonFile, readJsonLines } from "../util/json.js";
import { lockHolder } from "../util/lock.js";
import { runPaths, type RunPaths } from "../pipeline/paths.js";
import type { CheckpointListing, RunDetails, RunListing, RunProgress, RunStatus, ServedClip, StepRow } from "./api.js";
import { discover, makeSplit, type SplitName } from "../data/index.js";
import { defaultTemperature, usesTemperature } from "../models/generate.js";
import type { GeneratorConfig } from "../models/generator.js";
import type { TokenGeneratorConfig } from "../models/token-config.js";
import { BadRequest } from "./errors.js";

const readJson = <T>(path: string): T | null => readJsonFile<T>(path, { lenient: true });

/** A run name is one plain folder name under the runs folder. */
export const validRunName = (name: string): boolean => /^[A-Za-z0-9._-]+$/.test(name) && name !== "." && name !== "..";

/** Running while a live process holds the run folder's lock (a killed run's lock names a dead pid). */
function status(dir: string): RunStatus {
  if (lockHolder(dir)) return "running";
  const p = runPaths(dir);
  return existsSync(join(p.report, "index.html")) && existsSync(join(p.stages, "evaluate.json")) ? "done" : "stopped";
}

export function listRuns(runsDir: string): RunListing[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .flatMap((name) => runListing(runsDir, name) ?? [])
    .sort((a, b) => b.date.localeCompare(a.date));
}

/** One run's line in the list, or null if `name` is not a run (reads that run's folder only). */
export function runListing(runsDir: string, name: string): RunListing | null {
  const dir = join(runsDir, name);
  const p = runPaths(dir);
  if (!validRunName(name) || !existsSync(p.config)) return null;
  const config = readJson<{ data?: string }>(p.config);
  const test = readJson<{ song?: { accuracy: number } }>(p.eval("classifier-test"));
  const gen = readJson<{ report?: { accuracy: number } }>(p.eval("generated"));
  return {
    name,
    data: config?.data ?? null,
    date: new Date(statSync(p.config).mtimeMs).toISOString(),
    status: status(dir),
    testAccuracy: test?.song?.accuracy ?? null,
    fidelity: gen?.report?.accuracy ?? null,
  };
}

/** Everything the run page shows; file paths are relative to the run folder. */
export function runDetails(runsDir: string, name: string): RunDetails | null {
  const listing = runListing(runsDir, name);
  if (!listing) return null;
  const p = runPaths(join(runsDir, name));
  const jsonlIn = <T>(dir: string): Record<string, T[]> =>
    Object.fromEntries(
      (existsSync(dir) ? readdirSync(dir) : [])
        .filter((f) => f.endsWith(".jsonl"))
        .sort()
        .map((f) => [f.replace(/\.jsonl$/, ""), readJsonLines<T>(join(dir, f), { lenient: true })]),
    );
  const metrics = jsonlIn<Record<string, unknown>>(p.metricsDir);
  const steps = jsonlIn<StepRow>(p.stepsDir);
  const confusion: Record<string, number[][]> = {};
  let labels: string[] = [];
  for (const [key, file, path] of [
    ["train", "classifier-train", "song"],
    ["test", "classifier-test", "song"],
    ["generated", "generated", "report"],
  ] as const) {
    const e = readJson<Record<string, { confusion: number[][]; perClass: { name: string }[] }>>(p.eval(file));
    if (!e?.[path]) continue;
    confusion[key] = e[path].confusion;
    labels = e[path].perClass.map((c) => c.name);
  }
  const judged = new Map(
    (readJson<{ clips: { name: string; predicted: string }[] }>(p.eval("generated"))?.clips ?? []).map((c) => [
      c.name,
      c.predicted,
    ]),
  );
  const clipIndex = readJson<{ name: string; genre: string; realWav: string | null }[]>(p.clipIndex) ?? [];
  const clips = clipIndex.map((c) => ({
    name: c.name,
    genre: c.genre,
    wav: `generated/${c.name}.wav`,
    seed: `generated/${c.name}.seed.wav`,
    real: c.realWav ? `generated/${c.name}.real.wav` : null,
    predicted: judged.get(`${c.name}`) ?? null,
  }));
  const figDir = join(p.report, "figures");
  return {
    ...listing,
    config: readJson(p.config),
    metrics,
    steps,
    confusion,
    labels,
    clips,
    figures: existsSync(figDir)
      ? readdirSync(figDir)
          .sort()
          .map((f) => `report/figures/${f}`)
      : [],
    report: existsSync(join(p.report, "index.html")) ? "report/index.html" : null,
    downloads: downloads(p),
    progress: listing.status === "running" ? readJson<RunProgress>(p.progress) : null,
  };
}

/** Best checkpoints of every run, as run-relative paths. */
export function listCheckpoints(runsDir: string): CheckpointListing[] {
  return listRuns(runsDir).flatMap((r) => {
    const dir = runPaths(join(runsDir, r.name)).checkpoints;
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(".best.json"))
      .sort()
      .map((f) => {
        const gen = /^generator-(.+)\.best\.json$/.exec(f);
        const meta = readJson<{ genre?: unknown; genres?: unknown; model?: GeneratorConfig | TokenGeneratorConfig }>(
          join(dir, f),
        );
        const genres = meta?.genres;
        // The sidecar's genre: the file name holds it with slashes replaced.
        const genre = gen ? (typeof meta?.genre === "string" ? meta.genre : gen[1]) : null;
        return {
          kind: gen ? "generator" : "classifier",
          run: r.name,
          path: `checkpoints/${f.replace(/\.json$/, "")}`,
          genre,
          genres: Array.isArray(genres) ? genres.filter((g): g is string => typeof g === "string") : [],
          temperature: gen && meta?.model && usesTemperature(meta.model) ? defaultTemperature(meta.model) : null,
        } as CheckpointListing;
      });
  });
}

/**
 * A fingerprint of what the run page shows that changes while a run trains: its status and the
 * modification times of its metrics, progress, evaluations and clip index. Cheap (a few stat calls).
 */
export function runVersion(runsDir: string, name: string): string {
  const p = runPaths(join(runsDir, name));
  const files = [
    p.progress,
    p.clipIndex,
    p.eval("generated"),
    p.eval("classifier-test"),
    join(p.report, "index.html"),
    ...(existsSync(p.metricsDir) ? readdirSync(p.metricsDir).map((f) => join(p.metricsDir, f)) : []),
  ];
  const times = files.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0));
  return `${status(join(runsDir, name))}:${times.join(",")}`;
}

/** A run's checkpoints (best and last, with sidecars), metrics, evaluations and summary, as run-relative paths. */
function downloads(p: RunPaths): string[] {
  const under = (dir: string, keep: (f: string) => boolean) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => keep(f) && !f.startsWith("."))
          .sort()
          .map((f) => `${relative(p.root, dir)}/${f}`)
      : [];
  return [
    ...under(p.checkpoints, (f) => /\.(best|last)\.(safetensors|json)$/.test(f)),
    ...under(p.metricsDir, (f) => f.endsWith(".jsonl")),
    ...under(join(p.root, "eval"), (f) => f.endsWith(".json")),
    ...under(p.report, (f) => f === "summary.json"),
  ];
}

/** The held-out (test) songs of `genre` in the run's data set and split, as track ids; null for no run. */
export async function heldOutSongs(runsDir: string, name: string, genre: string): Promise<{ id: string }[] | null> {
  if (!runListing(runsDir, name)) return null;
  const config = readJson<{ data?: string; split?: SplitName; seed?: number }>(runPaths(join(runsDir, name)).config);
  if (!config?.data) throw new BadRequest(`run ${name} names no data set`);
  try {
    const found = await discover(config.data);
    return makeSplit(found, config.split ?? "seed", config.seed ?? 0)
      .test.filter((t) => t.genre === genre)
      .map((t) => ({ id: t.id }));
  } catch (err) {
    throw new BadRequest(`run ${name}: ${(err as Error).message}`);
  }
}

/** Clips generated from the dashboard (the run's served/ folder), newest first; null for no run. */
export function servedClips(runsDir: string, name: string): ServedClip[] | null {
  if (!runListing(runsDir, name)) return null;
  const root = join(runsDir, name);
  const served = join(root, "served");
  if (!existsSync(served)) return [];
  return readdirSync(served)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a))
    .flatMap((d) => {
      const sidecar = readdirSync(join(served, d)).find((f) => f.endsWith(".json"));
      const meta = sidecar
        ? readJson<{ genre: string; seedFile: string; seedOffsetSeconds: number }>(join(served, d, sidecar))
        : null;
      if (!sidecar || !meta) return [];
      const base = `served/${d}/${sidecar.slice(0, -".json".length)}`;
      return [
        {
          genre: meta.genre,
          wav: `${base}.wav`,
          seed: `${base}.seed.wav`,
          real: existsSync(join(root, `${base}.real.wav`)) ? `${base}.real.wav` : null,
          seedFile: meta.seedFile,
          seedOffsetSeconds: meta.seedOffsetSeconds,
          created: new Date(Number(d)).toISOString(),
        },
      ];
    });
}
