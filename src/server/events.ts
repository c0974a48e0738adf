// Live pages, by server-sent events checked once a second: GET /api/runs/:name/events streams a run's
// details each time its status, metrics, progress or clips change and ends when the run is no longer
// running; GET /api/events streams the runs list each time a run appears, goes or changes, until the page
// closes. Streams are bounded: past the limit, 429 with Retry-After; closing the server ends them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { readdirSync } from "node:fs";
import { JobError } from "./jobs.js";
import { listRuns, runDetails, runListing, runVersion, validRunName } from "./runs.js";

export interface EventOptions {
  runsDir: string;
  /** Open streams at most (default 32): each holds a timer and a connection. */
  maxStreams?: number;
  /** How often a stream looks for changes (default 1000 ms). */
  intervalMs?: number;
}

/** What one stream sends: a fingerprint that changes when the page should change, the data, and whether to stop. */
interface Source<T> {
  version(): string;
  data(): T;
  last?(data: T): boolean;
}

export function registerRunEvents(app: FastifyInstance, params: object, o: EventOptions): void {
  const open = new Set<() => void>();
  app.addHook("onClose", async () => {
    for (const end of [...open]) end();
  });

  const stream = <T>(req: FastifyRequest, reply: FastifyReply, source: Source<T>): void => {
    if (open.size >= (o.maxStreams ?? 32)) throw new JobError("too many live pages open; try again shortly", 429, 5);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let seen = "";
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(timer);
      res.end();
    };
    const tick = () => {
      const version = source.version();
      if (version === seen) return;
      seen = version;
      const d = source.data();
      res.write(`data: ${JSON.stringify(d)}\n\n`);
      if (source.last?.(d)) end();
    };
    const timer = setInterval(tick, o.intervalMs ?? 1000);
    open.add(end);
    req.raw.on("close", end);
    tick();
  };

  app.get<{ Params: { name: string } }>("/api/runs/:name/events", { schema: { params } }, async (req, reply) => {
    const { name } = req.params;
    if (!runListing(o.runsDir, name)) return reply.status(404).send({ error: `no run named ${name}` });
    stream(req, reply, {
      version: () => runVersion(o.runsDir, name),
      data: () => runDetails(o.runsDir, name),
      last: (d) => d?.status !== "running",
    });
  });

  app.get("/api/events", async (req, reply) => {
    stream(req, reply, { version: () => runsVersion(o.runsDir), data: () => listRuns(o.runsDir) });
  });
}

/** The runs list's fingerprint: every run's name and its own fingerprint (a few stat calls a run). */
function runsVersion(runsDir: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(runsDir).filter(validRunName).sort();
  } catch {
    return "";
  }
  return names.map((n) => `${n}=${runVersion(runsDir, n)}`).join(";");
}
