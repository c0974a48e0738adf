// Option parsers and help text shared by genrelab's commands: each rejects a bad value with one line
// saying what it expected (commander prints it beside the option's name).
import { resolve } from "node:path";
import { InvalidArgumentError, Option } from "commander";
import { parseSplit, type SplitName } from "../data/index.js";
import { GENERATOR_PRESETS } from "../train/generator-presets.js";

export const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
};
export const nonNegative = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && Number.isFinite(n))) throw new InvalidArgumentError("expected a number ≥ 0");
  return n;
};
export const seconds01 = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected seconds from 0 to 1");
  return n;
};
/** The "Examples" block of a command's --help. */
export const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
export const DATA_HELP =
  "a data folder (GTZAN; FMA; or one folder per label: <dir>/<label>/**/*.{wav,mp3,flac,ogg,au}), or 'demo' for the " +
  "synthetic set";
export const SPLIT_HELP =
  "track-level split: seed (stratified by label, 10 % test), fault-filtered (GTZAN's artist-filtered lists), " +
  "fma (FMA's own), fold:K/N (fold K of a stratified N-fold split) or file:PATH (lines '<path below the data folder> " +
  "<train|valid|test>')";
export const splitArg = (v: string): SplitName => {
  try {
    const s = parseSplit(v);
    return s.startsWith("file:") ? `file:${resolve(s.slice("file:".length))}` : s;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};
export const splitOption = () => new Option("--split <spec>", SPLIT_HELP).argParser(splitArg).default("seed");

export const int =
  (min: number, max = 2 ** 31 - 1) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
export const between =
  (min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !(n >= min && n <= max))
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return n;
  };
// Upper bounds keep one command's memory and time sane (a 10,000 s clip took 5.8 GB).
export const MAX_GENERATE_SECONDS = 600;
export const MAX_CLIPS_PER_GENRE = 1000;

export const presetOption = () =>
  new Option(
    "--preset <name>",
    "generator recipe: genrelab (default: the token model; see docs/GENERATOR.md), copy (the waveform model " +
      "with its copy path) or study (the paper's model and training exactly)",
  ).choices([...GENERATOR_PRESETS]);
