// Onsets and the beat: the onset strength of a signal (librosa's onset_strength), how periodic it is, and
// a song's beat — one tempo and where its beats fall (as librosa's beat_track assumes one tempo per song).
import { noGrad, tensor, tidy } from "../torch/index.js";
import { MelSpectrogram } from "./mel.js";

const FLOOR_DB = -80;

/**
 * Onset strength per frame: the mean over mel bands of the positive frame-to-frame rise of the log-mel
 * spectrum; value t is the rise into frame t + 1. dB are re full scale with a −80 dB floor, so silence and a
 * steady tone both score ~0.
 */
export function onsetStrength(samples: Float32Array, mel: MelSpectrogram): Float32Array {
  return noGrad(() =>
    tidy(() => {
      const db = mel
        .power(tensor(samples))
        .clamp(10 ** (FLOOR_DB / 10))
        .log10()
        .mul(10); // [mels, frames]
      const frames = db.size(1);
      return db
        .slice(1, 1)
        .sub(db.slice(1, 0, frames - 1))
        .clamp(0)
        .mean(0)
        .toTypedArray() as Float32Array;
    }),
  );
}

/**
 * 64 mel bands of `window`-second frames every `hop` seconds, lying inside the signal only (no centring pad:
 * a reflected edge would add onsets).
 */
export const onsetMel = (sampleRate: number, window: number, hop: number): MelSpectrogram =>
  new MelSpectrogram({
    sampleRate,
    nMels: 64,
    center: false,
    nFft: Math.round(window * sampleRate),
    hopLength: Math.round(hop * sampleRate),
  });

/** 51 ms windows every 10 ms: onsets placed finely enough for a beat's period to show to within 1-2 %. */
export const beatMel = (sampleRate: number): MelSpectrogram => onsetMel(sampleRate, 0.0512, 0.01);

/** Beat periods looked for: 0.25-2 s (240-30 beats a minute), as a tempo estimator's range. */
const BEAT_PERIODS_S = [0.25, 2] as const;

/**
 * The onset strength's autocorrelation, normalised by its value at lag 0, for each lag of a beat period
 * (BEAT_PERIODS_S, at most half the signal): [first lag in frames, values]; null when there is nothing to
 * correlate (too short, or no onsets at all).
 */
function beatAutocorrelation(rise: Float32Array, framesPerSecond: number): { first: number; values: number[] } | null {
  if (rise.length < 4) return null;
  let mean = 0;
  for (const v of rise) mean += v / rise.length;
  const z = Array.from(rise, (v) => v - mean);
  const at = (lag: number) => {
    let sum = 0;
    for (let i = 0; i + lag < z.length; i++) sum += z[i]! * z[i + lag]!;
    return sum;
  };
  const energy = at(0);
  if (energy <= 0) return null;
  const first = Math.round(BEAT_PERIODS_S[0] * framesPerSecond);
  const last = Math.min(Math.round(BEAT_PERIODS_S[1] * framesPerSecond), Math.floor(z.length / 2));
  const values: number[] = [];
  for (let lag = first; lag <= last; lag++) values.push(at(lag) / energy);
  return { first, values };
}

/**
 * Pulse clarity (Lartillot et al. 2008): the highest normalised autocorrelation of the onset strength at a
 * lag of one beat period. Music with a steady beat scores ~0.5-0.8, onsets at random times or steady noise
 * ~0.1-0.2. Spectral flux counts onsets; this asks whether they keep time. Anything periodic scores high —
 * a loop, even a pure tone's ripple from frame to frame — so read it beside flux and repetition.
 */
export function pulseClarity(samples: Float32Array, sampleRate: number, mel = beatMel(sampleRate)): number {
  const { hopLength: hop, nFft } = mel.settings;
  if (samples.length < nFft + 4 * hop) return 0;
  const acf = beatAutocorrelation(onsetStrength(samples, mel), sampleRate / hop);
  return acf ? Math.max(0, ...acf.values) : 0;
}

/** A song's beat: its period and the time of one beat, in seconds (every beat is offset + k · period). */
export interface Beat {
  period: number;
  offset: number;
}

/** Tempo prior: log-normal around 120 beats a minute, one octave wide (librosa's default start_bpm, std_bpm). */
const tempoPrior = (period: number) => Math.exp(-0.5 * Math.log2(60 / period / 120) ** 2);

/**
 * One tempo and phase for a whole signal: the beat period whose onset autocorrelation, weighed by the tempo
 * prior, is highest; then the offset (within one period) whose comb of beats meets the most onset strength.
 * Null when the signal has no onsets to tell a beat by.
 */
export function estimateBeat(samples: Float32Array, sampleRate: number, mel = beatMel(sampleRate)): Beat | null {
  const { hopLength: hop, nFft } = mel.settings;
  return samples.length < nFft + 4 * hop ? null : beatOf(onsetStrength(samples, mel), sampleRate, mel);
}

/** estimateBeat from the signal's onset strength (frames of `mel`). */
function beatOf(rise: Float32Array, sampleRate: number, mel: MelSpectrogram): Beat | null {
  const { fps, centre } = frameTimes(sampleRate, mel);
  const acf = beatAutocorrelation(rise, fps);
  if (!acf) return null;
  let lag = acf.first;
  let best = -Infinity;
  acf.values.forEach((v, i) => {
    const score = v * tempoPrior((acf.first + i) / fps);
    if (score > best) [best, lag] = [score, acf.first + i];
  });
  return { period: lag / fps, offset: (combOffset(rise, lag) + centre) / fps };
}

/**
 * Onset-strength frames a second, and `centre`, which turns a rise index into a frame time: rise t is the
 * change into frame t + 1, whose window is centred half a window later.
 */
function frameTimes(sampleRate: number, mel: MelSpectrogram): { fps: number; centre: number } {
  const { hopLength: hop, nFft } = mel.settings;
  return { fps: sampleRate / hop, centre: nFft / 2 / hop + 1 };
}

/**
 * Of the rise indices within one period (frames), the one whose beats (k · period after it) meet the most
 * onset strength.
 */
function combOffset(rise: Float32Array, period: number): number {
  let best = 0;
  let bestSum = -Infinity;
  for (let o = 0; o < period; o++) {
    let sum = 0;
    for (let t = o; t < rise.length; t += period) sum += rise[t]!;
    if (sum > bestSum) [bestSum, best] = [sum, o];
  }
  return best;
}

/** The offset of the beats of a known period in a signal (e.g. a short seed whose tempo is taken as given). */
export function beatOffset(
  samples: Float32Array,
  sampleRate: number,
  period: number,
  mel = beatMel(sampleRate),
): number {
  const { hopLength: hop, nFft } = mel.settings;
  if (samples.length < nFft + 2 * hop) return 0;
  const { fps, centre } = frameTimes(sampleRate, mel);
  return (combOffset(onsetStrength(samples, mel), Math.max(1, Math.round(period * fps))) + centre) / fps;
}

/** How strongly a beat interval is held to the tempo's period (librosa's tightness). */
const TIGHTNESS = 100;

/**
 * Beat times (seconds) of a signal by dynamic programming (Ellis 2007, as librosa's beat_track): the tempo's
 * period from `estimateBeat`, then the sequence of beats that meets the most onset strength while each
 * interval stays near that period (penalised by the square of its log ratio to it). Beats follow a drifting
 * tempo, where one period and offset for a whole song would slide off them. Empty when no beat is found.
 */
export function trackBeats(samples: Float32Array, sampleRate: number, mel = beatMel(sampleRate)): number[] {
  const { hopLength: hop, nFft } = mel.settings;
  if (samples.length < nFft + 4 * hop) return [];
  // One onset strength serves the tempo and the beats.
  const rise = onsetStrength(samples, mel);
  const beat = beatOf(rise, sampleRate, mel);
  if (!beat) return [];
  const { fps, centre } = frameTimes(sampleRate, mel);
  let sd = 0;
  for (const v of rise) sd += (v * v) / rise.length;
  const local = Array.from(rise, (v) => v / Math.sqrt(sd || 1));
  const period = beat.period * fps;
  const score = new Float64Array(local.length);
  const back = new Int32Array(local.length).fill(-1);
  for (let t = 0; t < local.length; t++) {
    let best = 0;
    for (let tau = Math.max(0, Math.round(t - 2 * period)); tau <= t - Math.round(period / 2); tau++) {
      const s = score[tau]! - TIGHTNESS * Math.log((t - tau) / period) ** 2;
      if (back[t]! < 0 || s > best) [best, back[t]] = [s, tau];
    }
    score[t] = local[t]! + (back[t]! >= 0 ? best : 0);
  }
  // The last beat: the best score within the last period.
  let t = local.length - 1;
  for (let i = Math.max(0, local.length - Math.round(period)); i < local.length; i++) if (score[i]! > score[t]!) t = i;
  const beats: number[] = [];
  for (; t >= 0; t = back[t]!) beats.push((t + centre) / fps);
  return beats.reverse();
}

/**
 * Where each time falls in the beat (seconds → beats counted from the first: 2.5 is halfway between the third
 * and fourth beats), between beats by linear interpolation, before the first and after the last at the
 * neighbouring interval (or `period` when there is one beat or none).
 */
export function beatPositions(beats: readonly number[], times: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(times.length);
  if (beats.length < 2) {
    const origin = beats[0] ?? 0;
    for (let i = 0; i < times.length; i++) out[i] = (times[i]! - origin) / period;
    return out;
  }
  let k = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    while (k < beats.length - 2 && t >= beats[k + 1]!) k++;
    out[i] = k + (t - beats[k]!) / (beats[k + 1]! - beats[k]!);
  }
  return out;
}
