// The genrelab dashboard: runs, a run's live curves and clips, classify an upload, generate a clip.
import { comparePage } from "./compare.js";
import { esc } from "./format.js";
import { app, leavePage } from "./page.js";
import { runPage } from "./run-page.js";
import { runsPage } from "./runs-page.js";
import { classifyPage, generatePage } from "./tool-pages.js";

async function route(): Promise<void> {
  leavePage();
  const hash = location.hash.slice(1) || "/";
  // The navigation marks the page shown (a run's page belongs to Runs).
  document.querySelectorAll<HTMLAnchorElement>("nav a").forEach((a) => {
    const page = a.getAttribute("href")!.slice(1);
    const current = page === "/" ? !["/classify", "/generate"].includes(hash) : hash === page;
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  try {
    if (hash.startsWith("/run/")) await runPage(decodeURIComponent(hash.slice(5)));
    else if (hash.startsWith("/compare/")) await comparePage(app, hash.slice(9).split(",").map(decodeURIComponent));
    else if (hash === "/classify") await classifyPage();
    else if (hash === "/generate") await generatePage();
    else await runsPage();
  } catch (err) {
    app.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
  }
}

window.addEventListener("hashchange", () => void route());
void route();
