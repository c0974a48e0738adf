// Live run pages: GET /api/runs/:name/events streams the run's details (server-sent events) each time
// its status, metrics, progress or clips change, checked once a second, and ends when the run is no
// longer running. Streams are bounded: past the limit, 429 with Retry-After.
import type { FastifyInstance } from "fastify";
import { JobError } from "./jobs.js";
import { runDetails, runListing, runVersion } from "./runs.js";

export interface EventOptions {
  runsDir: string;
  /** Open streams at most (default 32): each holds a timer and a connection. */
  maxStreams?: number;
  /** How often a stream looks for changes (default 1000 ms). */
  intervalMs?: number;
}

export function registerRunEvents(app: FastifyInstance, params: object, o: EventOptions): void {
  let open = 0;
  app.get<{ Params: { name: string } }>("/api/runs/:name/events", { schema: { params } }, async (req, reply) => {
    const { name } = req.params;
    if (!runListing(o.runsDir, name)) return reply.status(404).send({ error: `no run named ${name}` });
    if (open >= (o.maxStreams ?? 32)) throw new JobError("too many live run pages open; try again shortly", 429, 5);
    open++;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let last = "";
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      open--;
      res.end();
    };
    const tick = () => {
      const version = runVersion(o.runsDir, name);
      if (version === last) return;
      last = version;
      const d = runDetails(o.runsDir, name);
      res.write(`data: ${JSON.stringify(d)}\n\n`);
      if (d?.status !== "running") end();
    };
    const timer = setInterval(tick, o.intervalMs ?? 1000);
    req.raw.on("close", end);
    tick();
  });
}
