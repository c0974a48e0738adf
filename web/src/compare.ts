// Comparing runs, as W&B's run table does: their key numbers side by side, their curves overlaid (one
// colour per run), and their settings with the ones that differ marked and listed first.
import { getRun, type RunDetails } from "./api.js";
import { draw, hasMse, lineChart, slots, stepChart, type Chart } from "./chart.js";
import { esc, pct } from "./format.js";

/** A config object as dot paths and printable values. */
function flatten(x: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (x && typeof x === "object" && !Array.isArray(x)) {
    for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(x));
  }
  return out;
}

/** One metric of one metrics file, per run, as chart rows keyed by epoch (a column per run). */
function overlay(runs: RunDetails[], file: string, key: string): Record<string, unknown>[] {
  const byEpoch = new Map<number, Record<string, unknown>>();
  for (const r of runs) {
    for (const row of r.metrics[file] ?? []) {
      if (typeof row.epoch !== "number" || typeof row[key] !== "number") continue;
      const merged = byEpoch.get(row.epoch) ?? { epoch: row.epoch };
      merged[r.name] = row[key];
      byEpoch.set(row.epoch, merged);
    }
  }
  return [...byEpoch.values()].sort((a, b) => (a.epoch as number) - (b.epoch as number));
}

const CURVES: [title: string, file: string, key: string, log: boolean][] = [
  ["Classifier: validation song accuracy", "classifier", "validSongAccuracy", false],
  ["Classifier: training loss", "classifier", "trainLoss", false],
  ["Classifier: validation loss", "classifier", "validLoss", false],
  ["Generator: validation loss", "generator-all", "validLoss", true],
];

export async function comparePage(app: HTMLElement, names: string[]): Promise<void> {
  const runs = await Promise.all(names.map((n) => getRun(n)));
  const series = Object.fromEntries(runs.map((r) => [r.name, r.name]));
  const link = (r: RunDetails) => `<a href="#/run/${encodeURIComponent(r.name)}">${esc(r.name)}</a>`;
  const head = `<tr><th></th>${runs.map((r) => `<th scope="col">${link(r)}</th>`).join("")}</tr>`;
  const numbers: [string, (r: RunDetails) => string][] = [
    ["status", (r) => esc(r.status)],
    ["data", (r) => esc(r.data)],
    ["classifier test accuracy", (r) => pct(r.testAccuracy)],
    ["genre fidelity", (r) => pct(r.fidelity)],
    ["clips", (r) => String(r.clips.length)],
  ];
  const numberRow = ([label, f]: (typeof numbers)[number]) =>
    `<tr><th scope="row">${label}</th>${runs.map((r) => `<td>${f(r)}</td>`).join("")}</tr>`;
  const settings = runs.map((r) => flatten(r.config));
  const keys = [...new Set(settings.flatMap((s) => [...s.keys()]))].sort();
  const differs = (k: string) => new Set(settings.map((s) => s.get(k) ?? "—")).size > 1;
  const ordered = [...keys.filter(differs), ...keys.filter((k) => !differs(k))];
  const charts: Chart[] = CURVES.flatMap(([title, file, key, log]) => {
    const rows = overlay(runs, file, key);
    // A log axis where MSE spans decades (waveform generators), not for cross-entropy.
    const logY = log && runs.some((r) => hasMse(r.metrics[file] ?? []));
    return rows.length
      ? [{ title, spec: lineChart(title, rows, "epoch", series, title.split(": ")[1] ?? key, { logY }) }]
      : [];
  });
  // Each run's step losses, lightly smoothed (0.6, the run page's default).
  for (const [title, file] of [
    ["Classifier: training loss per step", "classifier"],
    ["Generator: training loss per step", "generator-all"],
  ] as const) {
    const steps = Object.fromEntries(runs.flatMap((r) => (r.steps[file]?.length ? [[r.name, r.steps[file]]] : [])));
    if (Object.keys(steps).length)
      charts.push({
        title,
        spec: stepChart(title, steps, 0.6, { logY: runs.some((r) => hasMse(r.metrics[file] ?? [])) }),
      });
  }
  app.innerHTML = `<h1>Compare ${runs.length} runs</h1>
    <h2>Key numbers</h2><table id="numbers">${head}${numbers.map(numberRow).join("")}</table>
    <h2>Curves</h2><div class="charts">${slots(charts, "compare") || "<p>No metrics yet.</p>"}</div>
    <h2>Settings</h2><p>${ordered.filter(differs).length} of ${keys.length} settings differ (marked, listed first).
    <label><input type="checkbox" id="only-diff"> only the differences</label></p>
    <table id="settings">${head}${ordered
      .map(
        (k) =>
          `<tr class="${differs(k) ? "diff" : "same"}"><th ` +
          `scope="row">${esc(k)}</th>${settings.map((s) => `<td>${esc(s.get(k) ?? "—")}</td>`).join("")}</tr>`,
      )
      .join("")}</table>`;
  await draw(charts, "compare");
  const only = document.getElementById("only-diff") as HTMLInputElement;
  only.addEventListener("change", () =>
    document.getElementById("settings")!.classList.toggle("only-diff", only.checked),
  );
}
