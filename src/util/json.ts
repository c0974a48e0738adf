// Reading the JSON and JSON-lines files of a run folder (written by writeJsonAtomic and MetricsLog).
import { existsSync, readFileSync } from "node:fs";

/**
 * A file's JSON, or null when the file does not exist. Bad JSON is an error naming the file, or null
 * when `lenient` (the dashboard lists folders it did not write and must not fail on one).
 */
export function readJsonFile<T>(path: string, o: { lenient?: boolean } = {}): T | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (err) {
    if (o.lenient) return null;
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Each line's JSON ([] when the file does not exist); `lenient` skips lines that do not parse. */
export function readJsonLines<T>(path: string, o: { lenient?: boolean } = {}): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .flatMap((line, i) => {
      try {
        return [JSON.parse(line) as T];
      } catch {
        if (o.lenient) return [];
        throw new Error(`${path}: line ${i + 1} is not valid JSON`);
      }
    });
}
