// Sun/NeXT .au reader (the original GTZAN's format: big-endian 16-bit PCM at 22050 Hz).
// No npm package reads it; the format is a 24-byte header and raw big-endian samples.
import { AudioFileError, type DecodedAudio } from "./types.js";

const MAGIC = 0x2e736e64; // ".snd"
const UNKNOWN_SIZE = 0xffffffff;

// Encoding codes of the AU format: bytes per sample and a reader to [-1, 1].
const encodings: Record<number, { name: string; bytes: number; read: (v: DataView, o: number) => number }> = {
  1: { name: "8-bit mu-law", bytes: 1, read: (v, o) => muLaw(v.getUint8(o)) },
  2: { name: "8-bit PCM", bytes: 1, read: (v, o) => v.getInt8(o) / 128 },
  3: { name: "16-bit PCM", bytes: 2, read: (v, o) => v.getInt16(o) / 32768 },
  4: {
    name: "24-bit PCM",
    bytes: 3,
    read: (v, o) => ((v.getInt8(o) << 16) | (v.getUint8(o + 1) << 8) | v.getUint8(o + 2)) / 8388608,
  },
  5: { name: "32-bit PCM", bytes: 4, read: (v, o) => v.getInt32(o) / 2147483648 },
  6: { name: "32-bit float", bytes: 4, read: (v, o) => v.getFloat32(o) },
  7: { name: "64-bit float", bytes: 8, read: (v, o) => v.getFloat64(o) },
};

/** G.711 mu-law byte to a float in [-1, 1]. */
function muLaw(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
}

export interface AuHeader {
  dataOffset: number;
  dataBytes: number;
  encoding: number;
  sampleRate: number;
  channelCount: number;
  bytesPerSample: number;
}

/** Parses and checks the header; `fileSize` bounds the data. */
export function readAuHeader(path: string, head: Uint8Array, fileSize: number): AuHeader {
  if (head.length < 24) throw new AudioFileError(path, `too short for an .au header (${head.length} bytes)`);
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (v.getUint32(0) !== MAGIC) throw new AudioFileError(path, "not an .au file (missing .snd magic)");
  const dataOffset = v.getUint32(4);
  const declared = v.getUint32(8);
  const encoding = v.getUint32(12);
  const sampleRate = v.getUint32(16);
  const channelCount = v.getUint32(20);
  const enc = encodings[encoding];
  if (!enc)
    throw new AudioFileError(
      path,
      `unsupported .au encoding ${encoding} (supported: ${Object.entries(encodings)
        .map(([k, e]) => `${k} ${e.name}`)
        .join(", ")})`,
    );
  if (dataOffset < 24 || dataOffset > fileSize) throw new AudioFileError(path, `bad .au data offset ${dataOffset}`);
  if (sampleRate < 1 || channelCount < 1 || channelCount > 64)
    throw new AudioFileError(path, `bad .au header (rate ${sampleRate}, channels ${channelCount})`);
  const available = fileSize - dataOffset;
  if (declared !== UNKNOWN_SIZE && declared > available) {
    throw new AudioFileError(
      path,
      `truncated: the header declares ${declared} bytes of audio, the file holds ${available}`,
    );
  }
  const dataBytes = declared === UNKNOWN_SIZE ? available : declared;
  return { dataOffset, dataBytes, encoding, sampleRate, channelCount, bytesPerSample: enc.bytes };
}

export function decodeAu(path: string, bytes: Uint8Array): DecodedAudio {
  const h = readAuHeader(path, bytes, bytes.length);
  const enc = encodings[h.encoding]!;
  const frame = h.bytesPerSample * h.channelCount;
  const frames = Math.floor(h.dataBytes / frame);
  if (frames === 0) throw new AudioFileError(path, "contains no audio");
  const v = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, frames * frame);
  const channels = Array.from({ length: h.channelCount }, () => new Float32Array(frames));
  for (let i = 0, o = 0; i < frames; i++) {
    for (let c = 0; c < h.channelCount; c++, o += h.bytesPerSample) channels[c]![i] = enc.read(v, o);
  }
  return { channels, sampleRate: h.sampleRate };
}
