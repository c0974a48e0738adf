// What makes each demo "genre": tempo, swing, scale, instruments, patterns, drums, distortion, noise, as data
// (recipes.json, checked here when loaded). Every song draws its own values from these ranges, so songs
// within a genre differ.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { GENRES, type Genre } from "../genres.js";
import { parseWith } from "../../util/parse.js";
import type { Timbre } from "./synth.js";

const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  blues: [0, 3, 5, 6, 7, 10],
  pentatonic: [0, 3, 5, 7, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
} as const;

const pluck: Timbre = { harmonics: [1, 0.7, 0.5, 0.35, 0.2, 0.12], attack: 0.004, decay: 0.35 };
const string: Timbre = {
  harmonics: [1, 0.5, 0.33, 0.25, 0.2, 0.16, 0.14],
  attack: 0.18,
  decay: Infinity,
  vibratoHz: 5.5,
  vibratoDepth: 0.004,
};
const piano: Timbre = { harmonics: [1, 0.45, 0.2, 0.1, 0.05], attack: 0.005, decay: 0.6 };
const organ: Timbre = { harmonics: [1, 0.8, 0.1, 0.6, 0, 0.3], attack: 0.01, decay: Infinity };
const square: Timbre = { harmonics: [1, 0, 0.33, 0, 0.2, 0, 0.14, 0, 0.11], attack: 0.01, decay: 1.5 };
const saw: Timbre = { harmonics: [1, 0.5, 0.33, 0.25, 0.2, 0.17, 0.14, 0.12], attack: 0.01, decay: 2 };
const guitar: Timbre = { harmonics: [1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2], attack: 0.003, decay: 0.9 };
const bassRound: Timbre = { harmonics: [1, 0.3, 0.1], attack: 0.008, decay: 0.5 };
const bassPlucked: Timbre = { harmonics: [1, 0.5, 0.25, 0.12], attack: 0.004, decay: 0.3 };
const sub: Timbre = { harmonics: [1, 0.05], attack: 0.01, decay: 1.2 };

const TIMBRES = { pluck, string, piano, organ, square, saw, guitar, bassRound, bassPlucked, sub };

/** Instruments any song may borrow (production variety shared by all genres). */
export const sharedTimbres: readonly Timbre[] = [pluck, string, piano, organ, square, saw, guitar];

const range = z.tuple([z.number(), z.number()]).readonly();
const steps = z.array(z.number().int().min(0).max(15)).readonly();
const timbre = z.enum(Object.keys(TIMBRES) as [keyof typeof TIMBRES]).transform((name) => TIMBRES[name]);

const drums = z.object({
  /** 16th-note positions (0–15) in a bar. */
  kick: steps,
  snare: steps,
  hat: steps,
  openHat: steps.optional(),
  ride: z.boolean().optional(),
  crashEveryBars: z.number().int().positive().optional(),
  /** 0 = rim click, 1 = fat snare. */
  snareBody: z.number().min(0).max(1).optional(),
});

const recipe = z.object({
  bpm: range,
  swing: z.number(),
  scale: z.enum(Object.keys(SCALES) as [keyof typeof SCALES]).transform((name) => SCALES[name]),
  progressions: z.array(z.array(z.number().int().min(0)).readonly()).readonly(),
  chordTones: z.enum(["triad", "seventh", "power"]),
  root: range,
  lead: timbre.nullable(),
  leadDensity: z.number(),
  leadOctave: z.number().int(),
  bass: timbre,
  bassPattern: z.enum(["roots", "walking", "rootFifth", "octaves", "sub", "oneDrop"]),
  chords: timbre.nullable(),
  chordPattern: z.enum(["sustain", "arpeggio", "skank", "eighths", "power16", "stabs"]),
  drums: drums.nullable(),
  drive: range,
  noise: range,
  crackle: z.number().optional(),
  swell: range,
  brightness: range,
});

export type Recipe = z.output<typeof recipe>;

const all = z.object(Object.fromEntries(GENRES.map((g) => [g, recipe])) as Record<Genre, typeof recipe>);
let recipes: Record<Genre, Recipe> | undefined;

/** A genre's recipe; recipes.json is read and checked on first use, not when a command starts. */
export function recipeOf(genre: Genre): Recipe {
  const file = new URL("recipes.json", import.meta.url);
  recipes ??= parseWith(all, JSON.parse(readFileSync(file, "utf8")), file.pathname);
  return recipes[genre];
}
