// The layering of docs/ARCHITECTURE.md holds in the code: no module of src/ imports from a layer above
// its own, and every folder of src/ has its place in the documented order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Layer ranks from the sentence "`util` ← `torch` ← … ← `cli` / `server`" (a "/" joins peers). */
function documentedLayers(): Map<string, number> {
  const doc = readFileSync(join(root, "docs", "ARCHITECTURE.md"), "utf8").replace(/\s+/g, " ");
  const chain = /`util` ←[^.]*?`server`/.exec(doc);
  assert.ok(chain, "docs/ARCHITECTURE.md states the import order as `util` ← … ← `server`");
  const ranks = new Map<string, number>();
  chain[0].split("←").forEach((level, i) => {
    for (const m of level.matchAll(/`([a-z]+)`/g)) ranks.set(m[1]!, i);
  });
  return ranks;
}

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });

/** The src/ folder a path lies in. */
const layerOf = (path: string): string => relative(join(root, "src"), path).split(sep)[0]!;

test("imports go one way, as docs/ARCHITECTURE.md says", () => {
  const ranks = documentedLayers();
  assert.ok(ranks.size >= 10, `the documented order names ${[...ranks.keys()].join(", ")}`);
  const folders = readdirSync(join(root, "src")).filter((f) => statSync(join(root, "src", f)).isDirectory());
  assert.deepEqual(
    folders.filter((f) => !ranks.has(f)),
    [],
    "every folder of src/ has a place in the documented order",
  );
  const upward: string[] = [];
  for (const file of sources(join(root, "src"))) {
    const from = layerOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gm)) {
      const to = layerOf(resolve(dirname(file), m[1]!));
      if ((ranks.get(to) ?? Infinity) > ranks.get(from)!)
        upward.push(`${relative(root, file)} imports ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(upward, []);
});

test(
  "the dashboard's browser code takes from src/ only the API's types and the chart specifications, which need no " +
    "Node",
  () => {
    const allowed = new Set(["src/server/api.ts", "src/report/chart-specs.ts"]);
    const found: string[] = [];
    const relImports = (file: string) => [
      ...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b([^;]*?)from\s+"(\.[^"]+)"/gm),
    ];
    for (const file of sources(join(root, "web", "src"))) {
      for (const m of relImports(file)) {
        const target = relative(root, resolve(dirname(file), m[2]!)).replace(/\.js$/, ".ts");
        if (target.startsWith("web/")) continue;
        const typeOnly = /^\s*type\b/.test(m[1]!) || /^\s*\{\s*(type\s+\w+(\s+as\s+\w+)?\s*,?\s*)+\}\s*$/.test(m[1]!);
        if (!allowed.has(target) || (target === "src/server/api.ts" && !typeOnly))
          found.push(`${relative(root, file)} imports ${m[2]}`);
      }
    }
    assert.deepEqual(found, []);
    const specs = readFileSync(join(root, "src", "report", "chart-specs.ts"), "utf8");
    assert.deepEqual(
      [...specs.matchAll(/^import\b(?!\s+type\b).*$/gm)].map((m) => m[0]),
      [],
      "chart-specs.ts imports types only",
    );
  },
);
