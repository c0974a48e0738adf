// One call from a file path to mono float samples at the working rate.
import { decodeFile, mixToMono } from "./decode.js";
import { resampleArray } from "./resample.js";
import { defaultLimits, type DecodeLimits } from "./types.js";

/** The rate both networks work at (the study's 10 kHz). */
export const WORK_RATE = 10_000;

export interface LoadedAudio {
  samples: Float32Array;
  sampleRate: number;
  /** The file's own rate and channel count, for summaries. */
  sourceRate: number;
  sourceChannels: number;
}

/** Decodes, mixes to mono and resamples (band-limited) to `sampleRate`. */
export async function loadAudio(
  path: string,
  sampleRate = WORK_RATE,
  limits: DecodeLimits = defaultLimits,
): Promise<LoadedAudio> {
  const audio = await decodeFile(path, limits);
  const mono = mixToMono(audio);
  return {
    samples: resampleArray(mono, audio.sampleRate, sampleRate),
    sampleRate,
    sourceRate: audio.sampleRate,
    sourceChannels: audio.channels.length,
  };
}
