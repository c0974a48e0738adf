// The dashboard's HTTP server: a JSON API over the run folders (schemas on every route), the run
// files (only under the runs folder), and the web front end built by vite.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import fastifyMultipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import type { ClassifiedFile, GenerateBody, GeneratedClipUrls } from "./api.js";
import type { SplitName } from "../data/index.js";
import { BadRequest } from "./errors.js";
import { InferenceQueue, type QueueLimits } from "./jobs.js";
import { removeStaleUploads, saveUpload, type SavedUpload } from "./uploads.js";
import { registerRunEvents } from "./events.js";
import { heldOutSongs, listCheckpoints, listRuns, runDetails, servedClips, validRunName } from "./runs.js";

export interface ServerOptions {
  runsDir: string;
  /** Largest accepted upload in bytes (default 50 MB). */
  uploadLimit?: number;
  /** Live run pages (server-sent events) open at once at most (default 32). */
  maxStreams?: number;
  /** The built front end (dist/web); the API works without it. */
  webDir?: string;
  /** Bounds of the inference queue (past them: 429). */
  queue?: QueueLimits;
  logger?: boolean;
}

const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", pattern: "^[A-Za-z0-9._-]+$" } },
} as const;

/**
 * Whether `path` is in the runs folder once symbolic links are followed (a link in a run folder may
 * point anywhere); true for a path that does not exist (it is answered 404 later).
 */
function staysInside(runsDir: string, path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return true;
  }
  return real.startsWith(realpathSync(runsDir) + sep);
}

const plainName = (f: string): boolean =>
  f !== "" &&
  f !== "." &&
  f !== ".." &&
  f.length <= 255 &&
  ![...f].some((c) => c === "/" || c === "\\" || c.charCodeAt(0) < 32);

/** A checkpoint path of a run: "checkpoints/<file>" with nothing that leaves the folder. */
function checkpointPath(runsDir: string, run: string, path: string): string {
  // File names hold labels (any name a user's folder has), but never a separator, a control character or "..".
  const file = path.startsWith("checkpoints/") ? path.slice("checkpoints/".length) : "";
  if (!validRunName(run) || !plainName(file)) throw new BadRequest("bad checkpoint reference");
  const full = resolve(runsDir, run, path);
  const inside =
    full.startsWith(resolve(runsDir) + sep) &&
    staysInside(runsDir, `${full}.json`) &&
    staysInside(runsDir, `${full}.safetensors`);
  if (!inside || !existsSync(`${full}.json`)) throw new BadRequest(`checkpoint ${run}/${path} not found`);
  return full;
}

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const runsDir = resolve(o.runsDir);
  removeStaleUploads();
  const jobs = new InferenceQueue(o.queue);
  // Fastify's validator drops unknown body keys by default; a misspelt field must be a 400 instead.
  const app = Fastify({ logger: o.logger ?? false, ajv: { customOptions: { removeAdditional: false } } });
  await app.register(fastifyMultipart, {
    limits: { fileSize: o.uploadLimit ?? 50 * 1024 * 1024, files: 1, fields: 4 },
  });
  // Files are served from the runs folder only; a path with ".." (raw or encoded) is refused outright,
  // and so is a file that a symbolic link places outside the folder.
  app.addHook("onRequest", async (req, reply) => {
    let path = req.url.split("?")[0]!;
    try {
      path = decodeURIComponent(path);
    } catch {
      return reply.status(400).send({ error: "bad path encoding" });
    }
    if (path.split(/[\\/]/).includes("..")) return reply.status(400).send({ error: "bad path" });
    if (path.startsWith("/files/") && !staysInside(runsDir, join(runsDir, path.slice("/files/".length)))) {
      return reply.status(404).send({ error: "not found" });
    }
  });
  await app.register(fastifyStatic, {
    root: runsDir,
    prefix: "/files/",
    decorateReply: false,
    dotfiles: "deny",
    index: false,
  });
  if (o.webDir && existsSync(join(o.webDir, "index.html"))) {
    await app.register(fastifyStatic, { root: resolve(o.webDir), prefix: "/", decorateReply: false });
  } else {
    app.get("/", async (_req, reply) =>
      reply.type("text/plain").send("genrelab API is running; the web front end is not built (run `make build`)."),
    );
  }

  app.addHook("onClose", async () => jobs.close());

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; retryAfter?: number }, req, reply) => {
    const upload = err.code === "FST_REQ_FILE_TOO_LARGE";
    const status = upload ? 413 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
    const message = upload
      ? `upload too large (limit ${mb(o.uploadLimit ?? 50 * 1024 * 1024)})`
      : status === 413
        ? `request body too large (limit ${mb(app.initialConfig.bodyLimit ?? 1024 * 1024)})`
        : status >= 500
          ? "internal error (see the server's log)"
          : err.message.split("\n")[0];
    if (status >= 500)
      process.stderr.write(`genrelab serve: ${req.method} ${req.url.split("?")[0]}: ${err.stack ?? err.message}\n`);
    // A refused upload's body may be left unread: close the connection so it cannot stall the next request.
    if (req.isMultipart()) void reply.header("connection", "close");
    if (err.retryAfter) void reply.header("retry-after", String(err.retryAfter));
    void reply.status(status).send({ error: message });
  });

  app.get(
    "/api/runs",
    { schema: { response: { 200: { type: "array", items: { type: "object", additionalProperties: true } } } } },
    async () => listRuns(runsDir),
  );

  app.get<{ Params: { name: string } }>("/api/runs/:name", { schema: { params: nameParams } }, async (req, reply) => {
    const d = runDetails(runsDir, req.params.name);
    return d ?? reply.status(404).send({ error: `no run named ${req.params.name}` });
  });

  registerRunEvents(app, nameParams, { runsDir, maxStreams: o.maxStreams });

  app.get<{ Params: { name: string; clip: string } }>(
    "/api/runs/:name/clips/:clip/mel.png",
    {
      schema: {
        params: {
          type: "object",
          required: ["name", "clip"],
          properties: {
            name: nameParams.properties.name,
            clip: { type: "string", pattern: "^[^/\\\\]+\\.\\d+(\\.seed|\\.real)?$", maxLength: 255 },
          },
        },
      },
    },
    async (req, reply) => {
      const wav = join(runsDir, req.params.name, "generated", `${req.params.clip}.wav`);
      if (!validRunName(req.params.name) || !existsSync(wav) || !staysInside(runsDir, wav))
        return reply.status(404).send({ error: `no clip ${req.params.clip} in ${req.params.name}` });
      return reply
        .type("image/png")
        .header("cache-control", "max-age=3600")
        .send(Buffer.from(await jobs.mel(wav)));
    },
  );

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

  app.get<{ Params: { name: string }; Querystring: { genre: string } }>(
    "/api/runs/:name/seeds",
    {
      schema: {
        params: nameParams,
        querystring: {
          type: "object",
          required: ["genre"],
          properties: { genre: { type: "string", minLength: 1, maxLength: 100 } },
        },
      },
    },
    async (req, reply) => {
      const seeds = await heldOutSongs(runsDir, req.params.name, req.query.genre);
      return seeds ?? reply.status(404).send({ error: `no run named ${req.params.name}` });
    },
  );

  app.get<{ Params: { name: string } }>(
    "/api/runs/:name/served",
    { schema: { params: nameParams } },
    async (req, reply) => {
      const clips = servedClips(runsDir, req.params.name);
      return clips ?? reply.status(404).send({ error: `no run named ${req.params.name}` });
    },
  );

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

  return app;
}
