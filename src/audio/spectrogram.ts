// Spectrograms in dB as plain arrays, for figures (the report's study Fig. 1 and its mel pairs).
import { F, hannWindow, tensor, tidy, type Tensor } from "../torch/index.js";
import { amplitudeToDb, type MelSpectrogram } from "./mel.js";

export interface DbImage {
  /** Row-major [rows, cols]: frequency bins (0 Hz first) by frames. */
  values: Float32Array;
  rows: number;
  cols: number;
}

/** The power STFT of `samples` (Hann window, centred) in dB, floored `topDb` below its maximum. */
export function spectrogramDb(samples: Float32Array, o: { nFft: number; hopLength: number; topDb: number }): DbImage {
  return tidy(() => {
    const power = F.spectrogram(tensor(samples), o.nFft, 2, { hopLength: o.hopLength, window: hannWindow(o.nFft) });
    return imageOf(amplitudeToDb(power, o.topDb));
  });
}

/** The log-mel spectrogram of `samples` in dB as `mel` computes it ([nMels, frames]). */
export function melDb(mel: MelSpectrogram, samples: Float32Array): DbImage {
  return tidy(() => imageOf(mel.forward(tensor(samples))));
}

const imageOf = (db: Tensor): DbImage => ({
  values: db.contiguous().toTypedArray() as Float32Array,
  rows: db.size(0),
  cols: db.size(1),
});
