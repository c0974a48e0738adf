// Small network helpers.
import { createServer } from "node:net";

/** A TCP port on loopback that nothing listens on now (the system's choice). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
      .once("error", fail)
      .listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => ok(port));
      });
  });
}
