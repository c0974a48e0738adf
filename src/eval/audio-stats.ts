// What a listener notices before any classifier: is the generated audio as loud as the real continuation
// of the same seed, does it move like it (onsets), or has it settled into a hum or a loop, and do its
// onsets keep a beat?
import { beatMel, onsetMel, onsetStrength, pulseClarity } from "../audio/index.js";
import { median } from "../util/stats.js";

/** RMS level in dB re full scale of each whole second (floor −120 dB). */
export function loudnessBySecond(samples: Float32Array, sampleRate: number): number[] {
  const seconds = Math.floor(samples.length / sampleRate);
  return Array.from({ length: seconds }, (_, s) => {
    let sum = 0;
    for (let i = s * sampleRate; i < (s + 1) * sampleRate; i++) sum += samples[i]! * samples[i]!;
    return 10 * Math.log10(Math.max(1e-12, sum / sampleRate));
  });
}

/**
 * 205 ms windows every 50 ms (at 10 kHz): fine enough for sixteenth notes at 150 bpm (100 ms), long
 * enough to span two periods of a 0.1 s loop (the study generator's failure), which then barely moves;
 * with 1024-sample windows the loop's seams every 0.1 s scored 0.7× the flux of real music.
 */
const fluxMel = (sampleRate: number) => onsetMel(sampleRate, 0.2048, 0.05);

/** Spectral flux per whole second: the onset strength averaged over the second's frames. */
export function spectralFluxBySecond(samples: Float32Array, sampleRate: number, mel = fluxMel(sampleRate)): number[] {
  const seconds = Math.floor(samples.length / sampleRate);
  if (!seconds) return [];
  const { hopLength: hop, nFft } = mel.settings;
  if (samples.length < nFft + hop) return new Array<number>(seconds).fill(0);
  const rise = onsetStrength(samples, mel);
  // rise[t] is the change into frame t + 1, whose window is centred on sample (t + 1) · hop + nFft / 2.
  return Array.from({ length: seconds }, (_, s) => {
    let sum = 0;
    let n = 0;
    rise.forEach((v, t) => {
      const at = (t + 1) * hop + nFft / 2;
      if (at >= s * sampleRate && at < (s + 1) * sampleRate) {
        sum += v;
        n++;
      }
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
  /** Median over clips of each whole clip's pulse clarity (absent in evaluations before it was measured). */
  generatedPulse?: number;
  realPulse?: number;
}

/** Compares generated clips with the real continuations of their seeds, second by second (pairs of equal length). */
export function continuationStats(
  pairs: readonly { generated: Float32Array; real: Float32Array }[],
  sampleRate: number,
): ContinuationStats | null {
  if (!pairs.length) return null;
  const mel = fluxMel(sampleRate);
  const beats = beatMel(sampleRate);
  const rows = pairs.map((p) => ({
    gDb: loudnessBySecond(p.generated, sampleRate),
    rDb: loudnessBySecond(p.real, sampleRate),
    gFlux: spectralFluxBySecond(p.generated, sampleRate, mel),
    rFlux: spectralFluxBySecond(p.real, sampleRate, mel),
    gPulse: pulseClarity(p.generated, sampleRate, beats),
    rPulse: pulseClarity(p.real, sampleRate, beats),
  }));
  const seconds = Math.min(...rows.map((r) => Math.min(r.gDb.length, r.rDb.length)));
  const per = (f: (r: (typeof rows)[number], s: number) => number): number[] =>
    Array.from({ length: seconds }, (_, s) => median(rows.map((r) => f(r, s))));
  const generatedFlux = per((r, s) => r.gFlux[s]!);
  const realFlux = per((r, s) => r.rFlux[s]!);
  return {
    generatedDb: per((r, s) => r.gDb[s]!),
    realDb: per((r, s) => r.rDb[s]!),
    loudnessGapDb: per((r, s) => Math.abs(r.gDb[s]! - r.rDb[s]!)),
    generatedFlux,
    realFlux,
    fluxRatio: generatedFlux.map((g, s) => (realFlux[s]! > 0 ? g / realFlux[s]! : 0)),
    generatedPulse: median(rows.map((r) => r.gPulse)),
    realPulse: median(rows.map((r) => r.rPulse)),
  };
}
