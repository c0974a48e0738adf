// The list of runs, live while any runs; ticked runs open the comparison.
import { getRuns, type RunListing } from "./api.js";
import { esc, pct } from "./format.js";
import { app, follow, redraw } from "./page.js";

const RUNS_HEAD = ["compare", "run", "data", "date", "status", "classifier test accuracy", "genre fidelity"]
  .map((h) => `<th>${h}</th>`)
  .join("");

export async function runsPage(): Promise<void> {
  const runs = await getRuns();
  app.innerHTML = `<h1>Runs</h1>${
    runs.length
      ? `<table id="runs"><thead><tr>${RUNS_HEAD}</tr></thead><tbody>${runRows(runs)}</tbody></table>
    <button id="compare" disabled>Compare the chosen runs</button>`
      : "<p>No runs yet: start one with <code>genrelab run --data demo</code>.</p>"
  }`;
  const button = document.getElementById("compare") as HTMLButtonElement | null;
  const chosen = () =>
    [...document.querySelectorAll<HTMLInputElement>("input.pick")].filter((p) => p.checked).map((p) => p.value);
  document.getElementById("runs")?.addEventListener("change", () => {
    if (button) button.disabled = chosen().length < 2;
  });
  button?.addEventListener("click", () => {
    location.hash = `/compare/${chosen().map(encodeURIComponent).join(",")}`;
  });
  // The server sends the list again whenever a run starts, stops, or logs; the ticked runs stay ticked.
  follow("/api/events", (data) => {
    const fresh = JSON.parse(data) as RunListing[];
    const body = document.querySelector("#runs tbody");
    if (!body) {
      if (fresh.length) redraw();
      return;
    }
    const ticked = new Set(chosen());
    body.innerHTML = runRows(fresh, ticked);
    if (button) button.disabled = chosen().length < 2;
  });
}

const runRows = (runs: RunListing[], ticked = new Set<string>()): string =>
  runs
    .map(
      (r) => `<tr>
  <td><input type="checkbox" class="pick" value="${esc(r.name)}" aria-label="compare ${esc(r.name)}"
    ${ticked.has(r.name) ? " checked" : ""}></td>
  <td><a href="#/run/${encodeURIComponent(r.name)}">${esc(r.name)}</a></td><td>${esc(r.data)}</td>
  <td>${esc(r.date.slice(0, 16).replace("T", " "))}</td>
  <td class="status-${esc(r.status)}">${esc(r.status)}</td>
  <td>${pct(r.testAccuracy)}</td><td>${pct(r.fidelity)}</td></tr>`,
    )
    .join("");
