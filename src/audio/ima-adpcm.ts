// IMA (DVI) ADPCM in WAV files (format tag 0x11), as Microsoft's layout and SoX, ffmpeg and sndfile read
// it: blocks of `blockAlign` bytes, each starting with every channel's predictor and step index, then
// each channel's 4-bit codes in groups of four bytes (eight samples), low nibble first. wavefile's own
// decoder reads these files with the wrong block length (SNR 5 dB against SoX's decoding).

// The IMA step sizes and step-index changes (the standard's tables).
const STEPS = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];
const INDEX_CHANGE = [-1, -1, -1, -1, 2, 4, 6, 8];

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/** One channel's decoder state, advanced by one 4-bit code at a time. */
class Channel {
  constructor(
    public predictor: number,
    public index: number,
  ) {}

  next(code: number): number {
    const step = STEPS[this.index]!;
    let diff = step >> 3;
    if (code & 1) diff += step >> 2;
    if (code & 2) diff += step >> 1;
    if (code & 4) diff += step;
    this.predictor = clamp(this.predictor + (code & 8 ? -diff : diff), -32768, 32767);
    this.index = clamp(this.index + INDEX_CHANGE[code & 7]!, 0, 88);
    return this.predictor;
  }
}

/** Samples per block of `blockAlign` bytes and `channels` channels: the header's one and two per byte. */
export const samplesPerBlock = (blockAlign: number, channels: number): number => (blockAlign / channels - 4) * 2 + 1;

/**
 * Decodes `data` (whole blocks; a short last block as far as it goes) into one array per channel,
 * scaled to [-1, 1); `frames`, the fact chunk's count when there is one, trims the padding of the end.
 */
export function decodeImaAdpcm(
  data: Uint8Array,
  channels: number,
  blockAlign: number,
  frames?: number,
): Float32Array[] {
  const perBlock = samplesPerBlock(blockAlign, channels);
  if (!Number.isInteger(perBlock) || perBlock < 1 || (blockAlign / channels) % 4 !== 0) {
    throw new RangeError(`IMA ADPCM: a block of ${blockAlign} bytes cannot hold ${channels} channels`);
  }
  const blocks = Math.ceil(data.length / blockAlign);
  const out = Array.from({ length: channels }, () => new Float32Array(blocks * perBlock));
  let written = 0;
  for (let b = 0; b < blocks; b++) {
    const block = data.subarray(b * blockAlign, (b + 1) * blockAlign);
    if (block.length < 4 * channels) break;
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    const state = Array.from(
      { length: channels },
      (_, c) => new Channel(view.getInt16(4 * c, true), clamp(block[4 * c + 2]!, 0, 88)),
    );
    const at = b * perBlock;
    state.forEach((s, c) => (out[c]![at] = s.predictor / 32768));
    // Groups of 4 bytes a channel, in turn: eight samples of that channel each.
    const groups = Math.floor((block.length - 4 * channels) / (4 * channels));
    for (let g = 0; g < groups; g++) {
      for (let c = 0; c < channels; c++) {
        const o = 4 * channels + 4 * (g * channels + c);
        for (let k = 0; k < 4; k++) {
          const byte = block[o + k]!;
          const i = at + 1 + 8 * g + 2 * k;
          out[c]![i] = state[c]!.next(byte & 0x0f) / 32768;
          out[c]![i + 1] = state[c]!.next(byte >> 4) / 32768;
        }
      }
    }
    written = at + 1 + 8 * groups;
  }
  const n = Math.min(written, frames ?? written);
  return out.map((ch) => ch.subarray(0, n));
}
