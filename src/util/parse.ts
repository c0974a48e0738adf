import type { z } from "zod";
import { isPlain } from "./merge.js";

/** The first key of `input` (dotted path) that `parsed` does not know: a misspelt setting. */
function unknownKey(input: unknown, parsed: unknown, path: string[] = []): string | null {
  if (!isPlain(input) || !isPlain(parsed)) return null;
  for (const [k, v] of Object.entries(input)) {
    if (!(k in parsed)) return [...path, k].join(".");
    const deeper = unknownKey(v, parsed[k], [...path, k]);
    if (deeper) return deeper;
  }
  return null;
}

/**
 * Validates `input` with `schema`; the error names the source and the first bad field. Settings the
 * schema does not know are an error (a typo must not silently fall back to a default) unless
 * `unknown` is "strip" (files written by another version of genrelab).
 */
export function parseWith<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  source: string,
  unknown: "error" | "strip" = "error",
): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const extra = unknown === "error" ? unknownKey(input, r.data) : null;
  if (extra) throw new Error(`${source}: ${extra}: unknown setting`);
  return r.data;
}
