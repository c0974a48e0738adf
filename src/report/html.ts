// The report page: plain HTML and CSS, figures and audio by relative path, no scripts.

export interface Figure {
  src: string;
  caption: string;
}
export interface Player {
  /** Players are grouped by it: its first clip shown, the rest folded (a page of 300 clips stays short). */
  genre: string;
  label: string;
  src: string;
  seed?: string;
  real?: string;
}
export interface Section {
  title: string;
  figures?: Figure[];
  audio?: { label: string; src: string }[];
  table?: { head: string[]; rows: string[][] };
  /** A sentence under the table saying how to read it. */
  note?: string;
  melPairs?: (Figure & { pair?: string })[];
  players?: Player[];
}
export interface ReportModel {
  title: string;
  config: Record<string, unknown>;
  data: Record<string, unknown> | null;
  timings: Record<string, number>;
  /** Plain sentences computed from the run, shown first. */
  headline: string[];
  sections: Section[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const attr = (s: string): string => esc(s.split("/").map(encodeURIComponent).join("/"));

/** Cells of one row; the values are HTML already. */
const cells = (tag: "td" | "th", values: readonly string[]): string =>
  values.map((v) => `<${tag}>${v}</${tag}>`).join("");
const row = (values: readonly string[]): string => `<tr>${cells("td", values)}</tr>`;
/** A table of escaped text: a header row, then the rows. */
const textTable = (head: readonly string[], rows: readonly (readonly string[])[], cls = ""): string =>
  `<table${cls && ` class="${cls}"`}><thead><tr>${cells("th", head.map(esc))}</tr></thead>` +
  `<tbody>${rows.map((r) => row(r.map(esc))).join("")}</tbody></table>`;
/** A two-column table: a name heading each row, then its value (escaped text). */
const keyTable = (pairs: readonly (readonly [string, string])[]): string =>
  `<table><tbody>${pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</tbody></table>`;

function figure(f: Figure): string {
  const caption = esc(f.caption);
  return `<figure><img src="${attr(f.src)}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`;
}

/** A generated clip's mel figure beside its real continuation's. */
function melPair(m: Figure & { pair?: string }): string {
  const real = m.pair ? figure({ src: m.pair, caption: m.caption.replace("generated", "real continuation") }) : "";
  return `<div class="pair">${figure(m)}${real}</div>`;
}

function section(s: Section): string {
  const parts = [`<h2>${esc(s.title)}</h2>`];
  if (s.figures?.length) parts.push(`<div class="grid">${s.figures.map(figure).join("")}</div>`);
  for (const a of s.audio ?? [])
    parts.push(`<p>${esc(a.label)} <audio controls preload="none" src="${attr(a.src)}"></audio></p>`);
  if (s.table) parts.push(textTable(s.table.head, s.table.rows));
  if (s.note) parts.push(`<p class="note">${esc(s.note)}</p>`);
  if (s.melPairs?.length) parts.push(`<div class="pairs">${s.melPairs.map(melPair).join("")}</div>`);
  if (s.players?.length) parts.push(playersByGenre(s.players));
  return `<section>${parts.join("\n")}</section>`;
}

const player = (src: string | undefined, label: string): string =>
  src ? `<audio controls preload="none" aria-label="${esc(label)}" src="${attr(src)}"></audio>` : "—";

function playerTable(players: readonly Player[]): string {
  const head = cells("th", ["clip", "0.9 s seed", "generated", "real continuation"]);
  const rows = players.map((p) =>
    row([
      esc(p.label),
      player(p.seed, `${p.label}: seed`),
      player(p.src, `${p.label}: generated`),
      player(p.real, `${p.label}: real continuation`),
    ]),
  );
  return `<table class="players"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** One block per genre: its first clip, then the others in a folded <details>. */
function playersByGenre(players: readonly Player[]): string {
  const genres = [...new Set(players.map((p) => p.genre))];
  return genres
    .map((g) => {
      const [first, ...rest] = players.filter((p) => p.genre === g);
      const clips = `${rest.length} more ${esc(g)} clip${rest.length === 1 ? "" : "s"}`;
      const more = rest.length ? `<details><summary>${clips}</summary>${playerTable(rest)}</details>` : "";
      return `<h3>${esc(g)}</h3>${playerTable(first ? [first] : [])}${more}`;
    })
    .join("\n");
}

const STYLE = [
  "body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1300px;padding:1rem 2rem;color:#1d1d1f}",
  "h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}",
  ".grid{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figure img{max-width:100%;border:1px solid #eee}",
  "figcaption{font-size:13px;color:#555}.pairs{display:flex;flex-wrap:wrap;gap:1.5rem}.pair{display:flex;gap:.5rem}",
  "table{border-collapse:collapse;margin:.5rem 0}",
  "td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;font-size:14px}",
  "audio{height:32px;vertical-align:middle;max-width:100%}",
  "pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:12px}",
  "table{display:block;max-width:100%;overflow-x:auto}img{max-width:100%;height:auto}",
  "@media (max-width:700px){body{padding:.5rem 1rem}.players thead{display:none}.players td{display:block;border:0}",
  ".players tr{display:block;border-bottom:1px solid #ddd}}",
].join("\n");

const INTRO =
  "Generated music of each genre, and what a genre classifier trained on real audio hears in it — after " +
  "Doyle &amp; Lopez, “Classification of Neural Network Generated Audio Files”.";

/** The data set's summary (evaluation/data.json), its skipped files last. */
function dataTable(data: Record<string, unknown> | null): string {
  const skipped = (data?.skipped ?? []) as { path: string; reason: string }[];
  const rows = Object.entries(data ?? {})
    .filter(([k]) => k !== "skipped" && k !== "shortSongs")
    .map(
      ([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === "object" ? JSON.stringify(v) : String(v))}</td></tr>`,
    );
  const files = skipped.length ? skipped.map((f) => `${esc(f.path)}: ${esc(f.reason)}`).join("<br>") : "none";
  return `<table><tbody>${rows.join("")}\n<tr><th>skipped files</th><td>${files}</td></tr></tbody></table>`;
}

export function renderHtml(m: ReportModel): string {
  const timings = Object.entries(m.timings).map(([k, v]): [string, string] => [k, `${v.toFixed(1)} s`]);
  const headline = m.headline.map((l) => `<p><strong>${esc(l)}</strong></p>`).join("");
  const config = esc(JSON.stringify(m.config, null, 2));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>genrelab report — ${esc(m.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
${STYLE}
</style></head><body>
<h1>genrelab report: ${esc(m.title)}</h1>
<p>${INTRO}</p>
${m.headline.length ? `<section class="headline">${headline}</section>` : ""}
${m.sections.map(section).join("\n")}
<section><h2>Data set</h2>
${dataTable(m.data)}</section>
<section><h2>Timings</h2>${keyTable(timings)}</section>
<section><details><summary>The resolved configuration as JSON (config.json)</summary>
<pre>${config}</pre></details></section>
</body></html>
`;
}
