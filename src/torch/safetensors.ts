// Safetensors files (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}}, then the raw little-endian data.
import { readFileSync, statSync } from "node:fs";
import { writeFileAtomic } from "../util/fs.js";
import { tensor } from "./create.js";
import type { AnyTypedArray, DType, Tensor } from "./tensor.js";

const toCode: Record<DType, string> = {
  float32: "F32",
  float64: "F64",
  int64: "I64",
  int32: "I32",
  int16: "I16",
  uint8: "U8",
  bool: "BOOL",
};
const fromCode: Record<string, { dtype: DType; bytes: number; make: (b: ArrayBuffer) => AnyTypedArray }> = {
  F32: { dtype: "float32", bytes: 4, make: (b) => new Float32Array(b) },
  F64: { dtype: "float64", bytes: 8, make: (b) => new Float64Array(b) },
  I64: { dtype: "int64", bytes: 8, make: (b) => new BigInt64Array(b) },
  I32: { dtype: "int32", bytes: 4, make: (b) => new Int32Array(b) },
  I16: { dtype: "int16", bytes: 2, make: (b) => new Int16Array(b) },
  U8: { dtype: "uint8", bytes: 1, make: (b) => new Uint8Array(b) },
  BOOL: { dtype: "bool", bytes: 1, make: (b) => new Uint8Array(b) },
};
const MAX_HEADER = 100 * 1024 * 1024;

export type Metadata = Record<string, string>;

/** Writes `tensors` (sorted by name) and string metadata to `path` atomically. */
export function saveSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata: Metadata = {}): void {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    const data = t.toTypedArray();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: toCode[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8); // keeps the data 8-byte aligned
  const head = Buffer.from(json, "utf8");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(head.length));
  writeFileAtomic(path, [len, head, ...chunks]);
}

export interface Loaded {
  tensors: Map<string, Tensor>;
  metadata: Metadata;
}

/** Reads a safetensors file; any inconsistency is an error naming the file. */
export function loadSafetensors(path: string): Loaded {
  const bad = (why: string): Error => new Error(`${path}: not a valid safetensors file (${why})`);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new Error(`${path}: checkpoint file not found`);
  }
  if (size < 8) throw bad(`only ${size} bytes`);
  const buf = readFileSync(path);
  const n = buf.readBigUInt64LE(0);
  if (n > BigInt(Math.min(MAX_HEADER, size - 8))) throw bad(`header length ${n} exceeds the file size ${size}`);
  const start = 8 + Number(n);
  let header: Record<string, { dtype?: string; shape?: number[]; data_offsets?: number[] }>;
  try {
    header = JSON.parse(buf.subarray(8, start).toString("utf8"));
  } catch {
    throw bad("header is not JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw bad("header is not an object");
  const metadata = (header.__metadata__ ?? {}) as unknown as Metadata;
  const tensors = new Map<string, Tensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const kind = fromCode[info?.dtype ?? ""];
    if (!kind) throw bad(`${name}: unsupported dtype ${info?.dtype}`);
    const shape = info.shape;
    const offs = info.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`${name}: bad shape`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0))
      throw bad(`${name}: bad data_offsets`);
    const count = shape.reduce((a, b) => a * b, 1);
    const [b, e] = offs as [number, number];
    if (e - b !== count * kind.bytes) throw bad(`${name}: ${e - b} bytes for shape [${shape}] of ${info.dtype}`);
    if (start + e > size) throw bad(`${name}: data runs past the end of the file (truncated?)`);
    const raw = buf.buffer.slice(buf.byteOffset + start + b, buf.byteOffset + start + e);
    tensors.set(name, tensor(kind.make(raw), shape, kind.dtype));
  }
  return { tensors, metadata };
}
