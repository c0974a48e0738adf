import type { z } from "zod";

/** Validates `input` with `schema`; the error names the source and the first bad field. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, input: unknown, source: string): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return r.data;
}
