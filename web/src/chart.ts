// The dashboard's charts: the report's own vega-lite specifications (src/report/chart-specs.ts), drawn by
// vega-embed, so report and dashboard show the same charts in the same colours, here with hover values.
import type { Result } from "vega-embed";
import type { TopLevelSpec } from "vega-lite";

export { confusionChart, hasMse, lineChart, stepChart } from "../../src/report/chart-specs.js";

export interface Chart {
  title: string;
  spec: TopLevelSpec;
}

// Each group's drawn views, released before it is drawn again or the page changes.
const drawn = new Map<string, Result[]>();
const latest = new Map<string, number>();
let draws = 0;

/** The system's dark mode, which the page's colours follow (style.css) and so do the charts'. */
const dark = () => matchMedia("(prefers-color-scheme: dark)").matches;

/** Placeholders for `charts` (to put in the page's HTML); `draw` fills them. */
export const slots = (charts: readonly Chart[], group: string): string =>
  charts.map((_, i) => `<figure class="chart" id="${group}-${i}"></figure>`).join("");

/** Draws `charts` into their slots (made by `slots` with the same group), releasing the group's earlier views. */
export async function draw(charts: readonly Chart[], group: string): Promise<void> {
  const id = ++draws;
  latest.set(group, id);
  for (const r of drawn.get(group) ?? []) r.finalize();
  drawn.delete(group);
  // vega is most of the page's code: loaded on the first page with charts, not before.
  const { default: embed } = await import("vega-embed");
  const views = await Promise.all(
    charts.flatMap((c, i) => {
      const el = document.getElementById(`${group}-${i}`);
      // vega labels the figure with the spec's description.
      return el
        ? [
            embed(el, { ...c.spec, description: c.title } as TopLevelSpec, {
              actions: false,
              renderer: "svg",
              theme: dark() ? "dark" : undefined,
            }),
          ]
        : [];
    }),
  );
  // A live run may have drawn the group again meanwhile: these views are already replaced.
  if (latest.get(group) === id) drawn.set(group, views);
  else views.forEach((r) => r.finalize());
}

/** Releases every chart's view (listeners, tooltip handler) before the page changes. */
export function clearCharts(): void {
  for (const views of drawn.values()) for (const r of views) r.finalize();
  drawn.clear();
}
