// Audio: decoding, resampling, mel features and WAV writing. Pure functions of samples and settings.
export {
  AudioFileError,
  defaultLimits,
  uploadLimits,
  RATE_RANGE,
  type DecodeLimits,
  type DecodedAudio,
} from "./types.js";
export { decodeFile, mixToMono, AUDIO_EXTENSIONS } from "./decode.js";
export { encodeWav16, writeWav16 } from "./wav.js";
export { resample, resampleArray, resampleDirect, type ResampleOptions } from "./resample.js";
export {
  MelSpectrogram,
  amplitudeToDb,
  floorDb,
  melFilterbank,
  defaultMelSettings,
  resolveMelSettings,
  type MelSettings,
} from "./mel.js";
export { loadAudio, WORK_RATE, type LoadedAudio } from "./load.js";
export { mulawEncode, mulawDecode } from "./mulaw.js";
export { multiResolutionStftLoss, type SpectralLossOptions } from "./spectral-loss.js";
export { griffinLim, type GriffinLimOptions } from "./griffin-lim.js";
export { melDb, spectrogramDb, type DbImage } from "./spectrogram.js";
export {
  onsetMel,
  onsetStrength,
  beatMel,
  pulseClarity,
  estimateBeat,
  beatOffset,
  trackBeats,
  beatPositions,
  type Beat,
} from "./onset.js";
