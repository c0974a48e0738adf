// What a listener notices before any classifier: is the generated audio as loud as the real continuation
// of the same seed, and does it move like it (onsets), or has it settled into a hum or a loop?
import { MelSpectrogram } from "../audio/index.js";
import { noGrad, tensor, tidy } from "../torch/index.js";
import { median } from "../util/stats.js";

/** RMS level in dB re full scale of each whole second (floor −120 dB). */
export function loudnessBySecond(samples: Float32Array, sampleRate: number): number[] {
  const seconds = Math.floor(samples.length / sampleRate);
  return Array.from({ length: seconds }, (_, s) => {
    let sum = 0;
    for (let i = s * sampleRate; i < (s + 1) * sampleRate; i++) sum += samples[i] * samples[i];
    return 10 * Math.log10(Math.max(1e-12, sum / sampleRate));
  });
}

const FLUX_FLOOR_DB = -80;
/**
 * 205 ms windows every 50 ms (at 10 kHz): fine enough for sixteenth notes at 150 bpm (100 ms), long
 * enough to span two periods of a 0.1 s loop (the study generator's failure), which then barely moves;
 * with 1024-sample windows the loop's seams every 0.1 s scored 0.7× the flux of real music.
 * Frames lie inside the signal only (no centring pad): a reflected edge would add onsets.
 */
const fluxMel = (sampleRate: number) =>
  new MelSpectrogram({ sampleRate, nMels: 64, center: false, nFft: Math.round(0.2048 * sampleRate), hopLength: Math.round(0.05 * sampleRate) });

/**
 * Spectral flux per whole second, as an onset-strength envelope (librosa's onset_strength): the mean
 * over mel bands of the positive frame-to-frame rise of the log-mel spectrum, averaged over the
 * second's frames. dB are re full scale with a −80 dB floor, so silence and a steady tone both score ~0.
 */
export function spectralFluxBySecond(samples: Float32Array, sampleRate: number, mel = fluxMel(sampleRate)): number[] {
  const seconds = Math.floor(samples.length / sampleRate);
  if (!seconds) return [];
  const { hopLength: hop, nFft } = mel.settings;
  if (samples.length < nFft + hop) return new Array<number>(seconds).fill(0);
  const rise = noGrad(() => tidy(() => {
    const db = mel.power(tensor(samples)).clamp(10 ** (FLUX_FLOOR_DB / 10)).log10().mul(10); // [mels, frames]
    const frames = db.shape[1];
    return db.slice(1, 1).sub(db.slice(1, 0, frames - 1)).clamp(0).mean(0).toTypedArray() as Float32Array;
  }));
  // rise[t] is the change into frame t + 1, whose window is centred on sample (t + 1) · hop + nFft / 2.
  return Array.from({ length: seconds }, (_, s) => {
    let sum = 0;
    let n = 0;
    rise.forEach((v, t) => {
      const at = (t + 1) * hop + nFft / 2;
      if (at >= s * sampleRate && at < (s + 1) * sampleRate) { sum += v; n++; }
    });
    return n ? sum / n : 0;
  });
}

export interface ContinuationStats {
  /** Per second: median over clips of the generated clip's RMS level in dB. */
  generatedDb: number[];
  realDb: number[];
  /** Per second: median over clips of |generated dB − real dB| (the same seed's real continuation). */
  loudnessGapDb: number[];
  generatedFlux: number[];
  realFlux: number[];
  /** Per second: median generated flux / median real flux (1 = as much movement as the real music). */
  fluxRatio: number[];
}

/** Compares generated clips with the real continuations of their seeds, second by second (pairs of equal length). */
export function continuationStats(pairs: readonly { generated: Float32Array; real: Float32Array }[], sampleRate: number): ContinuationStats | null {
  if (!pairs.length) return null;
  const mel = fluxMel(sampleRate);
  const rows = pairs.map((p) => ({
    gDb: loudnessBySecond(p.generated, sampleRate), rDb: loudnessBySecond(p.real, sampleRate),
    gFlux: spectralFluxBySecond(p.generated, sampleRate, mel), rFlux: spectralFluxBySecond(p.real, sampleRate, mel),
  }));
  const seconds = Math.min(...rows.map((r) => Math.min(r.gDb.length, r.rDb.length)));
  const per = (f: (r: (typeof rows)[number], s: number) => number): number[] =>
    Array.from({ length: seconds }, (_, s) => median(rows.map((r) => f(r, s))));
  const generatedFlux = per((r, s) => r.gFlux[s]);
  const realFlux = per((r, s) => r.rFlux[s]);
  return {
    generatedDb: per((r, s) => r.gDb[s]),
    realDb: per((r, s) => r.rDb[s]),
    loudnessGapDb: per((r, s) => Math.abs(r.gDb[s] - r.rDb[s])),
    generatedFlux, realFlux,
    fluxRatio: generatedFlux.map((g, s) => (realFlux[s] > 0 ? g / realFlux[s] : 0)),
  };
}
