/** Decoded audio: channels of float samples in [-1, 1] at `sampleRate` Hz. */
export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
}

/** A problem with one audio file: the message names the file. */
export class AudioFileError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = "AudioFileError";
  }
}

export interface DecodeLimits {
  /** Longest accepted file, in seconds of audio (longer files are refused before decoding). */
  maxSeconds: number;
}
export const defaultLimits: DecodeLimits = { maxSeconds: 20 * 60 };
