// Uploaded files are streamed to a private temporary folder, not held in memory: receiving 200
// uploads at once must not stall the event loop or grow the heap by their size.
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { MultipartFile } from "@fastify/multipart";
import { AUDIO_EXTENSIONS } from "../audio/index.js";
import { processAlive } from "../util/fs.js";
import { BadRequest } from "./errors.js";

const UPLOAD_PREFIX = "genrelab-upload-";

/** Removes upload folders that a killed server left in the temporary folder. */
export function removeStaleUploads(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(UPLOAD_PREFIX) ? Number.parseInt(name.slice(UPLOAD_PREFIX.length), 10) : NaN;
    if (Number.isInteger(pid) && !processAlive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

export interface SavedUpload {
  file: string;
  bytes: number;
  /** Removes the upload. */
  remove(): void;
}

/** Writes an uploaded audio file to disk; refuses unsupported types first and over-limit files (413). */
export async function saveUpload(part: MultipartFile): Promise<SavedUpload> {
  const ext = extname(part.filename).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    part.file.resume(); // drain it, so the connection can answer
    throw new BadRequest(`${part.filename}: not a supported audio file (${AUDIO_EXTENSIONS.join(", ")})`);
  }
  const dir = mkdtempSync(join(tmpdir(), `${UPLOAD_PREFIX}${process.pid}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, `upload${ext}`);
  let bytes = 0;
  part.file.on("data", (chunk: Buffer) => (bytes += chunk.length));
  try {
    await pipeline(part.file, createWriteStream(file));
  } catch (err) {
    remove();
    throw err;
  }
  if (part.file.truncated) {
    remove();
    throw Object.assign(new Error("upload too large"), { code: "FST_REQ_FILE_TOO_LARGE", statusCode: 413 });
  }
  if (bytes === 0) {
    remove();
    throw new BadRequest(`${part.filename}: empty file`);
  }
  return { file, bytes, remove };
}
