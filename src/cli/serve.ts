// `genrelab serve`: the dashboard over a runs folder, on loopback by default.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildServer } from "../server/app.js";

export async function serveCommand(o: {
  runs: string;
  port: number;
  host: string;
  uploadLimit: number;
}): Promise<void> {
  if (!existsSync(o.runs))
    throw new Error(`${o.runs}: runs folder not found (make one with \`genrelab run --data demo\`)`);
  const webDir = fileURLToPath(new URL("../../web", import.meta.url));
  const app = await buildServer({ runsDir: o.runs, uploadLimit: o.uploadLimit * 1024 * 1024, webDir });
  const address = await app.listen({ port: o.port, host: o.host });
  console.log(`genrelab dashboard on ${address} (runs: ${o.runs}); Ctrl-C to stop`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
