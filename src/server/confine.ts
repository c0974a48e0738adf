// What a request may name: run names, run files that stay inside the runs folder (symbolic links
// followed), and checkpoints of a run.
import { existsSync, realpathSync } from "node:fs";
import { resolve, sep } from "node:path";
import { BadRequest } from "./errors.js";
import { validRunName } from "./runs.js";

export const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", pattern: "^[A-Za-z0-9._-]+$" } },
} as const;

/**
 * Whether `path` is in the runs folder once symbolic links are followed (a link in a run folder may
 * point anywhere); true for a path that does not exist (it is answered 404 later).
 */
export function staysInside(runsDir: string, path: string): boolean {
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
export function checkpointPath(runsDir: string, run: string, path: string): string {
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
