// What makes each demo "genre": tempo, swing, scale, instruments, patterns, drums, distortion, noise.
// Every song draws its own values from these ranges, so songs within a genre differ.
import type { Genre } from "../genres.js";
import type { Timbre } from "./synth.js";

type Range = readonly [number, number];
export type BassPattern = "roots" | "walking" | "rootFifth" | "octaves" | "sub" | "oneDrop";
export type ChordPattern = "sustain" | "arpeggio" | "skank" | "eighths" | "power16" | "stabs";

export interface Drums {
  /** 16th-note positions (0–15) in a bar. */
  kick: readonly number[];
  snare: readonly number[];
  hat: readonly number[];
  openHat?: readonly number[];
  ride?: boolean;
  crashEveryBars?: number;
  /** 0 = rim click, 1 = fat snare. */
  snareBody?: number;
}

export interface Recipe {
  bpm: Range;
  swing: number;
  scale: readonly number[];
  progressions: readonly (readonly number[])[];
  chordTones: "triad" | "seventh" | "power";
  root: Range;
  lead: Timbre | null;
  leadDensity: number;
  leadOctave: number;
  bass: Timbre;
  bassPattern: BassPattern;
  chords: Timbre | null;
  chordPattern: ChordPattern;
  drums: Drums | null;
  drive: Range;
  noise: Range;
  crackle?: number;
  swell: Range;
  brightness: Range;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const BLUES = [0, 3, 5, 6, 7, 10];
const PENTA = [0, 3, 5, 7, 10];
const MIXO = [0, 2, 4, 5, 7, 9, 10];

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

/** Instruments any song may borrow (production variety shared by all genres). */
export const sharedTimbres: readonly Timbre[] = [pluck, string, piano, organ, square, saw, guitar];

const backbeat = { kick: [0, 8], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14] };

export const recipes: Record<Genre, Recipe> = {
  blues: {
    bpm: [68, 96],
    swing: 0.66,
    scale: BLUES,
    progressions: [
      [0, 0, 2, 0, 3, 2, 0, 3],
      [0, 2, 0, 0, 3, 2, 0, 0],
    ],
    chordTones: "seventh",
    root: [40, 50],
    lead: guitar,
    leadDensity: 0.45,
    leadOctave: 24,
    bass: bassRound,
    bassPattern: "walking",
    chords: piano,
    chordPattern: "stabs",
    drums: { ...backbeat, snareBody: 0.6 },
    drive: [0.5, 1.5],
    noise: [0.004, 0.012],
    swell: [0.05, 0.2],
    brightness: [2500, 5000],
  },
  classical: {
    bpm: [56, 92],
    swing: 0.5,
    scale: MAJOR,
    progressions: [
      [0, 3, 4, 0],
      [0, 5, 3, 4],
      [5, 3, 0, 4],
    ],
    chordTones: "triad",
    root: [48, 60],
    lead: string,
    leadDensity: 0.35,
    leadOctave: 12,
    bass: string,
    bassPattern: "roots",
    chords: string,
    chordPattern: "arpeggio",
    drums: null,
    drive: [0, 0],
    noise: [0.001, 0.004],
    swell: [0.3, 0.7],
    brightness: [3000, 7000],
  },
  country: {
    bpm: [96, 132],
    swing: 0.5,
    scale: MAJOR,
    progressions: [
      [0, 3, 4, 0],
      [0, 0, 3, 4],
    ],
    chordTones: "triad",
    root: [43, 53],
    lead: pluck,
    leadDensity: 0.55,
    leadOctave: 24,
    bass: bassPlucked,
    bassPattern: "rootFifth",
    chords: guitar,
    chordPattern: "stabs",
    drums: { kick: [0, 8], snare: [4, 12], hat: [2, 6, 10, 14], snareBody: 0.3 },
    drive: [0, 0.3],
    noise: [0.002, 0.008],
    swell: [0.05, 0.2],
    brightness: [4000, 8000],
  },
  disco: {
    bpm: [112, 130],
    swing: 0.5,
    scale: MINOR,
    progressions: [
      [0, 3, 0, 4],
      [0, 5, 3, 4],
    ],
    chordTones: "seventh",
    root: [40, 50],
    lead: string,
    leadDensity: 0.3,
    leadOctave: 24,
    bass: bassPlucked,
    bassPattern: "octaves",
    chords: organ,
    chordPattern: "skank",
    drums: { kick: [0, 4, 8, 12], snare: [4, 12], hat: [0, 4, 8, 12], openHat: [2, 6, 10, 14], snareBody: 0.7 },
    drive: [0, 0.4],
    noise: [0.002, 0.006],
    swell: [0.02, 0.1],
    brightness: [5000, 9000],
  },
  hiphop: {
    bpm: [78, 98],
    swing: 0.58,
    scale: PENTA,
    progressions: [
      [0, 0, 3, 3],
      [0, 2, 0, 3],
    ],
    chordTones: "seventh",
    root: [33, 43],
    lead: square,
    leadDensity: 0.18,
    leadOctave: 24,
    bass: sub,
    bassPattern: "sub",
    chords: piano,
    chordPattern: "sustain",
    drums: { kick: [0, 3, 7, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14, 15], snareBody: 1 },
    drive: [0.3, 1],
    noise: [0.003, 0.01],
    crackle: 0.0004,
    swell: [0.02, 0.1],
    brightness: [2000, 4500],
  },
  jazz: {
    bpm: [118, 182],
    swing: 0.67,
    scale: MIXO,
    progressions: [
      [1, 4, 0, 0],
      [1, 4, 0, 5],
      [0, 5, 1, 4],
    ],
    chordTones: "seventh",
    root: [41, 51],
    lead: piano,
    leadDensity: 0.5,
    leadOctave: 24,
    bass: bassRound,
    bassPattern: "walking",
    chords: piano,
    chordPattern: "stabs",
    drums: { kick: [0], snare: [], hat: [4, 12], ride: true, snareBody: 0 },
    drive: [0, 0],
    noise: [0.003, 0.008],
    swell: [0.1, 0.3],
    brightness: [3000, 6000],
  },
  metal: {
    bpm: [140, 200],
    swing: 0.5,
    scale: MINOR,
    progressions: [
      [0, 0, 5, 6],
      [0, 1, 0, 5],
    ],
    chordTones: "power",
    root: [28, 38],
    lead: saw,
    leadDensity: 0.25,
    leadOctave: 24,
    bass: bassPlucked,
    bassPattern: "octaves",
    chords: guitar,
    chordPattern: "power16",
    drums: {
      kick: [0, 2, 4, 6, 8, 10, 12, 14],
      snare: [4, 12],
      hat: [0, 2, 4, 6, 8, 10, 12, 14],
      crashEveryBars: 2,
      snareBody: 0.8,
    },
    drive: [5, 9],
    noise: [0.01, 0.03],
    swell: [0, 0.05],
    brightness: [5000, 9000],
  },
  pop: {
    bpm: [98, 126],
    swing: 0.5,
    scale: MAJOR,
    progressions: [
      [0, 4, 5, 3],
      [5, 3, 0, 4],
      [0, 5, 3, 4],
    ],
    chordTones: "triad",
    root: [50, 60],
    lead: square,
    leadDensity: 0.6,
    leadOctave: 12,
    bass: bassRound,
    bassPattern: "roots",
    chords: saw,
    chordPattern: "sustain",
    drums: { ...backbeat, snareBody: 0.9 },
    drive: [0, 0.5],
    noise: [0.001, 0.004],
    swell: [0.02, 0.08],
    brightness: [6000, 10000],
  },
  reggae: {
    bpm: [64, 86],
    swing: 0.55,
    scale: MAJOR,
    progressions: [
      [0, 3, 0, 4],
      [0, 5, 3, 4],
    ],
    chordTones: "triad",
    root: [38, 48],
    lead: organ,
    leadDensity: 0.2,
    leadOctave: 24,
    bass: bassRound,
    bassPattern: "oneDrop",
    chords: organ,
    chordPattern: "skank",
    drums: { kick: [8], snare: [8], hat: [0, 2, 4, 6, 8, 10, 12, 14], snareBody: 0.1 },
    drive: [0, 0.3],
    noise: [0.002, 0.008],
    swell: [0.02, 0.1],
    brightness: [3000, 6000],
  },
  rock: {
    bpm: [108, 142],
    swing: 0.5,
    scale: MIXO,
    progressions: [
      [0, 6, 3, 0],
      [0, 3, 4, 3],
    ],
    chordTones: "power",
    root: [38, 48],
    lead: guitar,
    leadDensity: 0.4,
    leadOctave: 24,
    bass: bassPlucked,
    bassPattern: "roots",
    chords: guitar,
    chordPattern: "eighths",
    drums: { ...backbeat, crashEveryBars: 4, snareBody: 0.8 },
    drive: [2, 4],
    noise: [0.004, 0.015],
    swell: [0.02, 0.1],
    brightness: [4000, 8000],
  },
};
