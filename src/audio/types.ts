/** Decoded audio: channels of float samples in [-1, 1] at `sampleRate` Hz. */
export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
}

/** A problem with one audio file: the message names the file. */
export class AudioFileError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "AudioFileError";
  }
}

export interface DecodeLimits {
  /** Longest accepted file, in seconds of audio (longer files are refused before decoding). */
  maxSeconds: number;
  /** Most samples over all channels (what memory grows with): 20 min of 48 kHz stereo by default. */
  maxSamples: number;
}
export const defaultLimits: DecodeLimits = { maxSeconds: 20 * 60, maxSamples: 20 * 60 * 48_000 * 2 };

/** What the dashboard accepts from an upload: 10 min, 32M samples (6 min of 44.1 kHz stereo, ~300 MB decoding). */
export const uploadLimits: DecodeLimits = { maxSeconds: 10 * 60, maxSamples: 32 * 2 ** 20 };

/** Sample rates outside this range are refused as damaged headers (and bound the resampler's work). */
export const RATE_RANGE = [1000, 768_000] as const;
