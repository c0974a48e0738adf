// The routes that run a model: the checkpoints there are, classifying an upload, generating a clip.
// Both go through the inference queue (its bounds answer 429).
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { FastifyInstance } from "fastify";
import type { SplitName } from "../data/index.js";
import type { ClassifiedFile, GenerateBody, GeneratedClipUrls } from "./api.js";
import { checkpointPath } from "./confine.js";
import { BadRequest } from "./errors.js";
import type { InferenceQueue } from "./jobs.js";
import { listCheckpoints } from "./runs.js";
import { saveUpload, type SavedUpload } from "./uploads.js";

export function registerInferenceRoutes(app: FastifyInstance, runsDir: string, jobs: InferenceQueue): void {
  app.get(
    "/api/checkpoints",
    {
      schema: {
        response: {
          200: {
            type: "array",
            items: {
              type: "object",
              required: ["kind", "run", "path"],
              properties: {
                kind: { type: "string" },
                run: { type: "string" },
                path: { type: "string" },
                genre: { type: ["string", "null"] },
                genres: { type: "array", items: { type: "string" } },
                temperature: { type: ["number", "null"] },
              },
            },
          },
        },
      },
    },
    async () => listCheckpoints(runsDir),
  );

  app.post("/api/classify", async (req): Promise<ClassifiedFile> => {
    let upload: SavedUpload;
    let fields: Record<string, { value?: unknown } | undefined>;
    let filename: string;
    try {
      const part = await req.file();
      if (!part) throw new BadRequest("no file in the upload (multipart field 'file')");
      filename = part.filename;
      fields = part.fields as typeof fields;
      upload = await saveUpload(part); // read first (within the size limit), then judge the request
    } catch (err) {
      const e = err as Error & { statusCode?: number };
      if (e.statusCode && e.statusCode < 500) throw err;
      // The parser's own words, without any path of this machine.
      throw new BadRequest(`malformed upload: ${e.message.split("\n")[0]!.replace(/\/[^\s'"]*/g, "…")}`);
    }
    try {
      const run = String(fields.run?.value ?? "");
      const checkpoint = checkpointPath(
        runsDir,
        run,
        String(fields.checkpoint?.value ?? "checkpoints/classifier.best"),
      );
      return await jobs.classify(checkpoint, upload.file, upload.bytes, filename);
    } finally {
      upload.remove();
    }
  });

  app.post<{ Body: Required<Omit<GenerateBody, "temperature" | "seedSong" | "offset">> & GenerateBody }>(
    "/api/generate",
    {
      schema: {
        body: {
          type: "object",
          required: ["run", "checkpoint", "genre"],
          additionalProperties: false,
          properties: {
            run: { type: "string" },
            checkpoint: { type: "string" },
            genre: { type: "string", minLength: 1, maxLength: 100 },
            seconds: { type: "number", minimum: 0.1, maximum: 10, default: 5 },
            temperature: { type: "number", minimum: 0, maximum: 5 },
            seed: { type: "integer", minimum: 0, default: 0 },
            seedSong: { type: "string", minLength: 1, maxLength: 1000 },
            offset: { type: "number", minimum: 0, maximum: 3600 },
          },
        },
      },
    },
    async (req): Promise<GeneratedClipUrls> => {
      const b = req.body;
      const checkpoint = checkpointPath(runsDir, b.run, b.checkpoint);
      const runDir = join(runsDir, b.run);
      const config = JSON.parse(readFileSync(join(runDir, "config.json"), "utf8")) as {
        data: string;
        split: SplitName;
        seed: number;
      };
      const clip = await jobs.generate({
        runDir,
        checkpoint,
        data: config.data,
        split: config.split,
        splitSeed: config.seed,
        genre: b.genre,
        seconds: b.seconds,
        temperature: b.temperature,
        seed: b.seed,
        seedSong: b.seedSong,
        offset: b.offset,
      });
      const url = (p: string) => `/files/${relative(runsDir, p).split(sep).map(encodeURIComponent).join("/")}`;
      return {
        genre: clip.genre,
        wav: url(clip.wav),
        seed: url(clip.seedWav),
        real: clip.realWav ? url(clip.realWav) : null,
        seedFile: clip.seedFile,
        seedOffsetSeconds: clip.seedOffsetSeconds,
      };
    },
  );
}
