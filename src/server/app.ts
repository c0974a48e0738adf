// The dashboard's HTTP server: a JSON API over the run folders (schemas on every route), the run
// files (only under the runs folder), and the web front end built by vite.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import fastifyMultipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import { nameParams, staysInside } from "./confine.js";
import { registerRunEvents } from "./events.js";
import { registerInferenceRoutes } from "./inference-routes.js";
import { InferenceQueue, type QueueLimits } from "./jobs.js";
import { heldOutSongs, listRuns, runDetails, servedClips, validRunName } from "./runs.js";
import { removeStaleUploads } from "./uploads.js";

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

  registerInferenceRoutes(app, runsDir, jobs);

  return app;
}
