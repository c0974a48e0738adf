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

function figure(f: Figure): string {
  return `<figure><img src="${attr(f.src)}" alt="${esc(f.caption)}"><figcaption>${esc(f.caption)}</figcaption></figure>`;
}

function section(s: Section): string {
  const parts = [`<h2>${esc(s.title)}</h2>`];
  if (s.figures?.length) parts.push(`<div class="grid">${s.figures.map(figure).join("")}</div>`);
  for (const a of s.audio ?? [])
    parts.push(`<p>${esc(a.label)} <audio controls preload="none" src="${attr(a.src)}"></audio></p>`);
  if (s.table) {
    parts.push(
      `<table><thead><tr>${s.table.head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${s.table.rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`,
    );
  }
  if (s.note) parts.push(`<p class="note">${esc(s.note)}</p>`);
  if (s.melPairs?.length) {
    parts.push(
      `<div class="pairs">${s.melPairs.map((m) => `<div class="pair">${figure(m)}${m.pair ? figure({ src: m.pair, caption: m.caption.replace("generated", "real continuation") }) : ""}</div>`).join("")}</div>`,
    );
  }
  if (s.players?.length) parts.push(playersByGenre(s.players));
  return `<section>${parts.join("\n")}</section>`;
}

const player = (src: string | undefined, label: string): string =>
  src ? `<audio controls preload="none" aria-label="${esc(label)}" src="${attr(src)}"></audio>` : "—";

function playerTable(players: readonly Player[]): string {
  const rows = players.map(
    (p) =>
      `<tr><td>${esc(p.label)}</td><td>${player(p.seed, `${p.label}: seed`)}</td><td>${player(
        p.src,
        `${p.label}: generated`,
      )}</td><td>${player(p.real, `${p.label}: real continuation`)}</td></tr>`,
  );
  return `<table class="players"><thead><tr><th>clip</th><th>0.9 s seed</th><th>generated</th><th>real continuation</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** One block per genre: its first clip, then the others in a folded <details>. */
function playersByGenre(players: readonly Player[]): string {
  const genres = [...new Set(players.map((p) => p.genre))];
  return genres
    .map((g) => {
      const [first, ...rest] = players.filter((p) => p.genre === g);
      const more = rest.length
        ? `<details><summary>${rest.length} more ${esc(g)} clip${rest.length === 1 ? "" : "s"}</summary>${playerTable(rest)}</details>`
        : "";
      return `<h3>${esc(g)}</h3>${playerTable(first ? [first] : [])}${more}`;
    })
    .join("\n");
}

export function renderHtml(m: ReportModel): string {
  const timings = Object.entries(m.timings).map(([k, v]): [string, string] => [k, `${v.toFixed(1)} s`]);
  const skipped = (m.data?.skipped ?? []) as { path: string; reason: string }[];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>genrelab report — ${esc(m.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1300px;padding:1rem 2rem;color:#1d1d1f}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
.grid{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:13px;color:#555}.pairs{display:flex;flex-wrap:wrap;gap:1.5rem}.pair{display:flex;gap:.5rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;font-size:14px}
audio{height:32px;vertical-align:middle;max-width:100%}pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:12px}
table{display:block;max-width:100%;overflow-x:auto}img{max-width:100%;height:auto}
@media (max-width:700px){body{padding:.5rem 1rem}.players thead{display:none}.players td{display:block;border:0}.players tr{display:block;border-bottom:1px solid #ddd}}
</style></head><body>
<h1>genrelab report: ${esc(m.title)}</h1>
<p>Generated music of each genre, and what a genre classifier trained on real audio hears in it — after Doyle &amp; Lopez, “Classification of Neural Network Generated Audio Files”.</p>
${m.headline.length ? `<section class="headline">${m.headline.map((l) => `<p><strong>${esc(l)}</strong></p>`).join("")}</section>` : ""}
${m.sections.map(section).join("\n")}
<section><h2>Data set</h2>
<table><tbody>${Object.entries(m.data ?? {})
    .filter(([k]) => k !== "skipped" && k !== "shortSongs")
    .map(
      ([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === "object" ? JSON.stringify(v) : String(v))}</td></tr>`,
    )
    .join("")}
<tr><th>skipped files</th><td>${skipped.length ? skipped.map((s) => `${esc(s.path)}: ${esc(s.reason)}`).join("<br>") : "none"}</td></tr></tbody></table></section>
<section><h2>Timings</h2><table><tbody>${timings.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</tbody></table></section>
<section><details><summary>The resolved configuration as JSON (config.json)</summary><pre>${esc(JSON.stringify(m.config, null, 2))}</pre></details></section>
</body></html>
`;
}
