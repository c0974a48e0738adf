// WAV files: decoding with wavefile (8/16/24/32-bit integer, 32/64-bit float, A-law, mu-law, any
// channel count) or, for IMA ADPCM, ima-adpcm.ts; a header check before the whole file is read, and
// atomic 16-bit writing.
import wavefile from "wavefile";
import { writeFileAtomic } from "../util/fs.js";
import { decodeImaAdpcm } from "./ima-adpcm.js";
import { AudioFileError, type DecodedAudio } from "./types.js";

const { WaveFile } = wavefile;

export interface WavHeader {
  channelCount: number;
  sampleRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
  /** IMA ADPCM (format tag 0x11): its block size, and the fact chunk's frame count when there is one. */
  adpcm?: { blockAlign: number; frames?: number };
}

/** Bytes [offset, offset + length) of a file (fewer at its end). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** The fmt chunk's format tag of IMA (DVI) ADPCM: 4 bits a sample, the one sub-8-bit format read. */
const IMA_ADPCM = 0x11;

// A data size of 0xFFFFFFFF is what streaming writers (ffmpeg to a pipe) put when the length was unknown.
const STREAMED = 0xffffffff;

/**
 * Reads the RIFF chunk list through `read` (chunks of any size may come before the audio); checks the
 * data chunk against `fileSize`. A streamed file's data runs to the end of the file.
 */
export function readWavHeader(path: string, read: ReadAt, fileSize: number): WavHeader {
  const head = read(0, 12);
  const tag = (b: Uint8Array, o: number): string => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
  if (head.length < 12 || tag(head, 0) !== "RIFF" || tag(head, 8) !== "WAVE")
    throw new AudioFileError(path, "not a WAV file (no RIFF/WAVE header)");
  let fmt: (Omit<WavHeader, "dataOffset" | "dataBytes" | "adpcm"> & { adpcm: boolean; blockAlign: number }) | undefined;
  let factFrames: number | undefined;
  for (let o = 12, n = 0; o + 8 <= fileSize; n++) {
    if (n === 10_000) throw new AudioFileError(path, "over 10,000 chunks before the audio (not a sound WAV file)");
    const chunk = read(o, 24);
    if (chunk.length < 8) break;
    const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const id = tag(chunk, 0);
    const size = v.getUint32(4, true);
    if (id === "fmt " && chunk.length >= 24) {
      fmt = {
        channelCount: v.getUint16(10, true),
        sampleRate: v.getUint32(12, true),
        bitsPerSample: v.getUint16(22, true),
        adpcm: v.getUint16(8, true) === IMA_ADPCM,
        blockAlign: v.getUint16(20, true),
      };
    } else if (id === "fact" && size >= 4 && chunk.length >= 12) {
      factFrames = v.getUint32(8, true);
    } else if (id === "data") {
      if (!fmt) throw new AudioFileError(path, "WAV data chunk comes before its fmt chunk");
      const { adpcm, blockAlign, ...format } = fmt;
      if (
        format.channelCount < 1 ||
        format.sampleRate < 1 ||
        format.bitsPerSample < (adpcm ? 4 : 8) ||
        (adpcm && blockAlign < 1)
      ) {
        throw new AudioFileError(
          path,
          `bad WAV format (channels ${format.channelCount}, rate ${format.sampleRate}, bits ${format.bitsPerSample})`,
        );
      }
      const available = fileSize - (o + 8);
      // ADPCM comes in blocks; PCM in frames of one sample a channel.
      const frame = adpcm ? blockAlign : format.channelCount * Math.ceil(format.bitsPerSample / 8);
      const bytes = size === STREAMED ? available - (available % frame) : size;
      if (bytes > available)
        throw new AudioFileError(
          path,
          `truncated: the header declares ${size} bytes of audio, the file holds ${available}`,
        );
      if (bytes === 0) throw new AudioFileError(path, "contains no audio");
      const codec = adpcm ? { adpcm: { blockAlign, ...(factFrames === undefined ? {} : { frames: factFrames }) } } : {};
      return { ...format, dataOffset: o + 8, dataBytes: bytes, ...codec };
    }
    o += 8 + size + (size % 2);
  }
  throw new AudioFileError(path, "no WAV data chunk found (truncated or not audio)");
}

// Full scale of each integer PCM depth (wavefile returns raw integers; 8-bit WAV is unsigned).
const fullScale: Record<string, { offset: number; scale: number }> = {
  "8": { offset: 128, scale: 128 },
  "16": { offset: 0, scale: 32768 },
  "24": { offset: 0, scale: 8388608 },
  "32": { offset: 0, scale: 2147483648 },
  "32f": { offset: 0, scale: 1 },
  "64": { offset: 0, scale: 1 },
};

export function decodeWav(path: string, bytes: Uint8Array): DecodedAudio {
  const h = readWavHeader(path, (o, n) => bytes.subarray(o, o + n), bytes.length);
  // wavefile reads the sizes in the header: give a streamed file's its real ones.
  const fields = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fields.getUint32(h.dataOffset - 4, true) === STREAMED) {
    fields.setUint32(h.dataOffset - 4, h.dataBytes, true);
    fields.setUint32(4, h.dataOffset + h.dataBytes - 8, true);
    bytes = bytes.subarray(0, h.dataOffset + h.dataBytes);
  }
  if (h.adpcm) {
    const data = bytes.subarray(h.dataOffset, h.dataOffset + h.dataBytes);
    try {
      return {
        channels: decodeImaAdpcm(data, h.channelCount, h.adpcm.blockAlign, h.adpcm.frames),
        sampleRate: h.sampleRate,
      };
    } catch (err) {
      throw new AudioFileError(path, `cannot decode WAV (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  let wav: InstanceType<typeof WaveFile>;
  let raw: Float64Array | Float64Array[];
  try {
    wav = new WaveFile(bytes);
    // Companded files are expanded to 16-bit PCM first.
    if (wav.bitDepth === "8a") wav.fromALaw();
    else if (wav.bitDepth === "8m") wav.fromMuLaw();
    // Raw values, scaled below: wavefile's own float conversion is ~25x slower.
    raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  } catch (err) {
    throw new AudioFileError(path, `cannot decode WAV (${err instanceof Error ? err.message : String(err)})`);
  }
  const depth = fullScale[wav.bitDepth];
  if (!depth) throw new AudioFileError(path, `unsupported WAV sample format (bit depth ${wav.bitDepth})`);
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  const channels = (fmt.numChannels === 1 ? [raw as Float64Array] : (raw as Float64Array[])).map((ch) => {
    const out = new Float32Array(ch.length);
    for (let i = 0; i < ch.length; i++) out[i] = (ch[i]! - depth.offset) / depth.scale;
    return out;
  });
  return { channels, sampleRate: fmt.sampleRate };
}

/** WAV bytes, 16-bit PCM (`channels` interleaved in `samples`; mono by default); samples are clipped to [-1, 1]. */
export function encodeWav16(samples: Float32Array, sampleRate: number, channels = 1): Uint8Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    pcm[i] = Math.round(s * 32767);
  }
  const wav = new WaveFile();
  wav.fromScratch(channels, sampleRate, "16", pcm);
  return wav.toBuffer();
}

/** Writes mono 16-bit PCM WAV atomically (temp file + rename). */
export function writeWav16(path: string, samples: Float32Array, sampleRate: number): void {
  writeFileAtomic(path, encodeWav16(samples, sampleRate));
}
