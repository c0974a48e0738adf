// One run: its progress, curves (live while it runs), confusion matrices, clips, downloads and figures.
import { fileUrl, getRun, type RunDetails } from "./api.js";
import { confusionChart, draw, hasMse, lineChart, slots, stepChart, type Chart } from "./chart.js";
import { esc, pct } from "./format.js";
import { app, follow, redraw } from "./page.js";
import { destroyWaves, waveOnPlay } from "./wave.js";

/** The step charts' smoothing, kept while the dashboard is open. */
let smoothing = 0.6;

/** The run's curves: per epoch, and each step's training loss smoothed by `smoothing` (as TensorBoard's slider). */
function curves(run: RunDetails, smoothing: number): Chart[] {
  const charts: Chart[] = [];
  const add = (title: string, spec: Chart["spec"]) => charts.push({ title, spec });
  const c = run.metrics.classifier;
  if (c?.length) {
    add(
      "Classifier accuracy",
      lineChart(
        "Classifier accuracy",
        c,
        "epoch",
        { validWindowAccuracy: "valid window", validSongAccuracy: "valid song", trainAccuracy: "train" },
        "accuracy",
      ),
    );
    add(
      "Classifier loss",
      lineChart("Classifier loss", c, "epoch", { trainLoss: "train", validLoss: "valid" }, "cross-entropy"),
    );
  }
  if (run.steps.classifier?.length)
    add(
      "Classifier training loss per step",
      stepChart("Classifier training loss per step", { classifier: run.steps.classifier }, smoothing),
    );
  const generators = Object.entries(run.metrics).filter(([k]) => k.startsWith("generator-"));
  for (const [name, rows] of generators) {
    // The token model logs cross-entropy (trainLoss, validLoss); the waveform models also MSE and its baselines.
    const title = name.replace("generator-", "Generator ");
    add(
      title,
      lineChart(
        title,
        rows,
        "epoch",
        { trainLoss: "train", validLoss: "valid", validMse: "valid MSE", silenceMse: "silence", repeatMse: "repeat" },
        "loss",
        { logY: hasMse(rows) },
      ),
    );
  }
  // One step chart for all generators (the study's ten per-genre models are ten series).
  const genSteps = Object.fromEntries(
    generators.flatMap(([name]) =>
      run.steps[name]?.length ? [[name.replace("generator-", ""), run.steps[name]]] : [],
    ),
  );
  if (Object.keys(genSteps).length)
    add(
      "Generator training loss per step",
      stepChart("Generator training loss per step", genSteps, smoothing, {
        logY: generators.some(([, rows]) => hasMse(rows)),
      }),
    );
  return charts;
}

const CONFUSION_TITLES: Record<string, string> = {
  train: "Training songs",
  test: "Held-out test songs",
  generated: "Generated clips",
};
const confusions = (run: RunDetails): Chart[] =>
  Object.entries(run.confusion).map(([k, m]) => {
    const title = `${CONFUSION_TITLES[k] ?? k}: true genre by row, predicted by column`;
    return { title, spec: confusionChart(CONFUSION_TITLES[k] ?? k, m, run.labels) };
  });

export async function runPage(name: string): Promise<void> {
  const run = await getRun(name);
  const confusionCharts = confusions(run);
  const status = `<small id="status" class="status-${esc(run.status)}">${esc(run.status)}</small>`;
  app.innerHTML = `<h1>${esc(run.name)} ${status}</h1>
    <p id="progress">${progressLine(run)}</p>
    <p id="summary">${summaryLine(run)}</p>
    <h2>Training curves</h2><p><label>smoothing of the step losses
      <input type="range" id="smoothing" min="0" max="0.99" step="0.01" value="${smoothing}"></label>
    <output id="smoothing-value">${smoothing}</output></p><div class="charts" id="curves"></div>
    <h2>Confusion matrices</h2><div class="charts">${slots(confusionCharts, "confusion")}</div>
    <h2>Generated clips</h2><div id="clips">${clipsHtml(run)}</div>
    <h2>Downloads</h2><ul id="downloads">${run.downloads
      .map((f) => `<li><a href="${fileUrl(run.name, f)}" download>${esc(f)}</a></li>`)
      .join("")}</ul>
    <h2>Report figures</h2><div class="charts">${run.figures
      .filter((f) => !f.includes("/mel-"))
      .map((f) => `<img class="fig" alt="${esc(f)}" src="${fileUrl(run.name, f)}">`)
      .join("")}</div>`;
  // The curves are drawn again when the smoothing changes or a running run sends fresh details.
  let shown = run;
  const drawCurves = () => {
    const charts = curves(shown, smoothing);
    document.getElementById("curves")!.innerHTML = slots(charts, "curve");
    return draw(charts, "curve");
  };
  await Promise.all([drawCurves(), draw(confusionCharts, "confusion")]);
  waveOnPlay(app);
  const slider = document.getElementById("smoothing") as HTMLInputElement;
  slider.addEventListener("input", () => {
    smoothing = Number(slider.value);
    document.getElementById("smoothing-value")!.textContent = slider.value;
    void drawCurves();
  });
  if (run.status === "running") {
    // The server sends the run's details whenever they change, and ends the stream when it stops.
    follow(`/api/runs/${encodeURIComponent(name)}/events`, (data) => {
      const fresh = JSON.parse(data) as RunDetails;
      // Once it stops, the page is drawn afresh: its evaluations, confusion matrices, report and downloads.
      if (fresh.status !== "running") return redraw();
      const clipsChanged =
        fresh.clips.length !== shown.clips.length ||
        fresh.clips.some((c, i) => c.predicted !== shown.clips[i]?.predicted);
      shown = fresh;
      void drawCurves();
      document.getElementById("progress")!.innerHTML = progressLine(fresh);
      document.getElementById("summary")!.innerHTML = summaryLine(fresh);
      if (clipsChanged) {
        destroyWaves();
        document.getElementById("clips")!.innerHTML = clipsHtml(fresh);
        waveOnPlay(document.getElementById("clips")!);
      }
    });
  }
}

function summaryLine(run: RunDetails): string {
  const scores = `classifier test accuracy ${pct(run.testAccuracy)} · genre fidelity ${pct(run.fidelity)}`;
  return `data ${esc(run.data)} · ${scores}
    ${run.report ? ` · <a href="${fileUrl(run.name, run.report)}" target="_blank">full report</a>` : ""}`;
}

const melUrl = (run: string, clip: string) =>
  `/api/runs/${encodeURIComponent(run)}/clips/${encodeURIComponent(clip)}/mel.png`;

/** Each clip: its seed and generated audio (loaded only when played), its waveform, mel spectrograms, download. */
function clipsHtml(run: RunDetails): string {
  return (
    run.clips
      .map(
        (c, i) => `<div class="clip"><b>${esc(c.name)}</b>${c.predicted ? ` — heard as <b>${esc(c.predicted)}</b>` : ""}
      <div class="wave" id="wave-${i}"></div>
      <div>seed <audio controls preload="none" src="${fileUrl(run.name, c.seed)}"></audio>
      generated <audio class="gen" controls preload="none" src="${fileUrl(run.name, c.wav)}"></audio>
      <a href="${fileUrl(run.name, c.wav)}" download>download</a></div>
      <div class="mels"><img class="mel" loading="lazy" alt="mel spectrogram of ${esc(c.name)}"
        src="${melUrl(run.name, c.name)}">
      <img class="mel" loading="lazy" alt="mel spectrogram of the seed of ${esc(c.name)}"
        src="${melUrl(run.name, `${c.name}.seed`)}"></div></div>`,
      )
      .join("") || "<p>No clips yet.</p>"
  );
}

/** "stage · 120 / 792 steps · loss … · about 3 min left" for a running run; empty otherwise. */
function progressLine(run: RunDetails): string {
  const p = run.progress;
  if (!p) return "";
  const eta =
    p.etaSeconds === null
      ? ""
      : ` · about ${p.etaSeconds < 90 ? `${Math.round(p.etaSeconds)} s` : `${Math.round(p.etaSeconds / 60)} min`} left`;
  const steps = p.total > 0 ? ` · ${p.done} / ${p.total}` : "";
  return `${esc(p.stage)}${steps}${p.note ? ` · ${esc(p.note)}` : ""}${eta}`;
}
