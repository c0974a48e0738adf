// A small SVG line chart for live training curves (no charting library in the page).
const COLORS = ["#3b528b", "#f28e2b", "#21918c", "#e15759", "#5ec962", "#b07aa1"];

export function lineChart(title: string, metricRows: Record<string, unknown>[], series: Record<string, string>, opts: { log?: boolean } = {}): string {
  // Rows with an epoch; a series' values are read only where they are numbers (below).
  const rows = metricRows.filter((r): r is Record<string, number> => typeof r.epoch === "number");
  const w = 380, h = 200, pad = { l: 48, r: 110, t: 24, b: 30 };
  const xs = rows.map((r) => r.epoch);
  const tf = (v: number) => (opts.log ? Math.log10(Math.max(v, 1e-12)) : v);
  const values = Object.keys(series).flatMap((k) => rows.map((r) => r[k]).filter((v) => typeof v === "number")).map(tf);
  if (!values.length) return "";
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [y0, y1] = [Math.min(...values), Math.max(...values)];
  if (y0 === y1) { y0 -= 1; y1 += 1; }
  const px = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
  const py = (y: number) => h - pad.b - ((tf(y) - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  const lines = Object.entries(series).map(([k, label], i) => {
    const pts = rows.filter((r) => typeof r[k] === "number").map((r) => `${px(r.epoch).toFixed(1)},${py(r[k]).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${pts}"/>` +
      `<text x="${w - pad.r + 8}" y="${pad.t + 14 * i + 10}" font-size="11" fill="${COLORS[i % COLORS.length]}">${label}</text>`;
  }).join("");
  const fmt = (v: number) => (opts.log ? (10 ** v).toExponential(1) : v.toFixed(2));
  return `<svg class="chart" width="${w}" height="${h}" role="img" aria-label="${title}">
    <text x="${pad.l}" y="15" font-size="13" font-weight="600">${title}</text>
    <line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#999"/>
    <line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#999"/>
    <text x="4" y="${pad.t + 8}" font-size="10">${fmt(y1)}</text><text x="4" y="${h - pad.b}" font-size="10">${fmt(y0)}</text>
    <text x="${pad.l}" y="${h - 8}" font-size="10">epoch ${x0}</text><text x="${w - pad.r - 30}" y="${h - 8}" font-size="10">${x1}</text>
    ${lines}</svg>`;
}
