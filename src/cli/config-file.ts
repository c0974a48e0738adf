// Settings files for training commands: JSON, with a section per network or flat.
import { existsSync, readFileSync } from "node:fs";

export function readConfigFile(path: string | undefined, section: string): Record<string, unknown> {
  if (!path) return {};
  if (!existsSync(path)) throw new Error(`${path}: config file not found`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new Error(`${path}: not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new Error(`${path}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  return (o[section] ?? o) as Record<string, unknown>;
}

/** Drops undefined values, so unset flags do not override file settings. */
export const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
