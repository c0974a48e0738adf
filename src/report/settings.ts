// The run's settings as a readable table: one row per setting, and for the generator, the study's
// value beside every setting genrelab's recipe changes (the study's recipe is `--preset study`).
import { parseGeneratorConfig } from "../train/generator-config.js";
import { isPlain } from "../util/merge.js";

/** Leaf settings as [dotted path, value]; arrays are values. */
export function flatten(o: unknown, prefix = ""): [string, unknown][] {
  if (!isPlain(o)) return [[prefix, o]];
  return Object.entries(o).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Rows [setting, value, the study's value where it differs]. The study's generator is its preset's settings. */
export function settingsRows(config: Record<string, unknown>): string[][] {
  const study = new Map(flatten(parseGeneratorConfig({ preset: "study" }), "generator"));
  return flatten(config)
    .filter(([k]) => k !== "data")
    .map(([k, v]) => {
      const theirs = study.get(k);
      const differs = study.has(k) && show(theirs) !== show(v);
      return [k, show(v), differs ? show(theirs) : ""];
    });
}
