// The genrelab dashboard: runs, a run's live curves and clips, classify an upload, generate a clip.
import WaveSurfer from "wavesurfer.js";
import {
  classify,
  fileUrl,
  generate,
  getCheckpoints,
  getRun,
  getRuns,
  getSeeds,
  getServed,
  type RunDetails,
  type RunListing,
} from "./api.js";
import { clearCharts, confusionChart, draw, hasMse, lineChart, slots, stepChart, type Chart } from "./chart.js";
import { comparePage } from "./compare.js";
import { esc, pct } from "./format.js";

const app = document.getElementById("app")!;
let live: EventSource | undefined;
/** The step charts' smoothing, kept while the dashboard is open. */
let smoothing = 0.6;
const waves: WaveSurfer[] = [];

/** A waveform of an address, a file, or a player's audio (which it then follows). */
function waveform(container: HTMLElement, audio: string | Blob | HTMLAudioElement): WaveSurfer {
  const media = audio instanceof HTMLAudioElement ? audio : undefined;
  const ws = WaveSurfer.create({
    container,
    height: 64,
    waveColor: "#8aa2c8",
    progressColor: "#3b528b",
    media,
    url: typeof audio === "string" ? audio : undefined,
  });
  if (audio instanceof Blob) void ws.loadBlob(audio);
  container.addEventListener("click", () => void ws.playPause());
  waves.push(ws);
  return ws;
}

/**
 * A clip's waveform is drawn the first time its player plays, from that player's audio: a run of 300
 * clips would otherwise fetch every one when its page opens. The waveform then follows the player.
 */
function waveOnPlay(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>(".clip").forEach((clip) => {
    const audio = clip.querySelector<HTMLAudioElement>("audio.gen");
    const wave = clip.querySelector<HTMLElement>(".wave");
    if (audio && wave) audio.addEventListener("play", () => void waveform(wave, audio), { once: true });
  });
}

async function runsPage(): Promise<void> {
  const runs = await getRuns();
  app.innerHTML = `<h1>Runs</h1>${
    runs.length
      ? `<table id="runs"><thead><tr><th>compare</th><th>run</th><th>data</th><th>date</th><th>status</th><th>classifier test accuracy</th><th>genre fidelity</th></tr></thead><tbody>${runRows(runs)}</tbody></table>
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
  live = new EventSource("/api/events");
  live.onmessage = (e) => {
    const fresh = JSON.parse(e.data) as RunListing[];
    const body = document.querySelector("#runs tbody");
    if (!body) {
      if (fresh.length) void route();
      return;
    }
    const ticked = new Set(chosen());
    body.innerHTML = runRows(fresh, ticked);
    if (button) button.disabled = chosen().length < 2;
  };
}

const runRows = (runs: RunListing[], ticked = new Set<string>()): string =>
  runs
    .map(
      (r) => `<tr>
  <td><input type="checkbox" class="pick" value="${esc(r.name)}" aria-label="compare ${esc(r.name)}"${ticked.has(r.name) ? " checked" : ""}></td>
  <td><a href="#/run/${encodeURIComponent(r.name)}">${esc(r.name)}</a></td><td>${esc(r.data)}</td><td>${esc(r.date.slice(0, 16).replace("T", " "))}</td>
  <td class="status-${esc(r.status)}">${esc(r.status)}</td><td>${pct(r.testAccuracy)}</td><td>${pct(r.fidelity)}</td></tr>`,
    )
    .join("");

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

async function runPage(name: string): Promise<void> {
  const run = await getRun(name);
  const confusionCharts = confusions(run);
  app.innerHTML = `<h1>${esc(run.name)} <small id="status" class="status-${esc(run.status)}">${esc(run.status)}</small></h1>
    <p id="progress">${progressLine(run)}</p>
    <p id="summary">${summaryLine(run)}</p>
    <h2>Training curves</h2><p><label>smoothing of the step losses <input type="range" id="smoothing" min="0" max="0.99" step="0.01" value="${smoothing}"></label>
    <output id="smoothing-value">${smoothing}</output></p><div class="charts" id="curves"></div>
    <h2>Confusion matrices</h2><div class="charts">${slots(confusionCharts, "confusion")}</div>
    <h2>Generated clips</h2><div id="clips">${clipsHtml(run)}</div>
    <h2>Downloads</h2><ul id="downloads">${run.downloads.map((f) => `<li><a href="${fileUrl(run.name, f)}" download>${esc(f)}</a></li>`).join("")}</ul>
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
    live = new EventSource(`/api/runs/${encodeURIComponent(name)}/events`);
    live.onmessage = (e) => {
      const fresh = JSON.parse(e.data) as RunDetails;
      // Once it stops, the page is drawn afresh: its evaluations, confusion matrices, report and downloads.
      if (fresh.status !== "running") return void route();
      const clipsChanged =
        fresh.clips.length !== shown.clips.length ||
        fresh.clips.some((c, i) => c.predicted !== shown.clips[i]?.predicted);
      shown = fresh;
      void drawCurves();
      document.getElementById("progress")!.innerHTML = progressLine(fresh);
      document.getElementById("summary")!.innerHTML = summaryLine(fresh);
      if (clipsChanged) {
        waves.splice(0).forEach((w) => w.destroy());
        document.getElementById("clips")!.innerHTML = clipsHtml(fresh);
        waveOnPlay(document.getElementById("clips")!);
      }
    };
  }
}

function summaryLine(run: RunDetails): string {
  return `data ${esc(run.data)} · classifier test accuracy ${pct(run.testAccuracy)} · genre fidelity ${pct(run.fidelity)}
    ${run.report ? ` · <a href="${fileUrl(run.name, run.report)}" target="_blank">full report</a>` : ""}`;
}

/** Each clip: its seed and generated audio (loaded only when played), its waveform, mel spectrograms, download. */
function clipsHtml(run: RunDetails): string {
  return (
    run.clips
      .map(
        (c, i) => `<div class="clip"><b>${esc(c.name)}</b>${c.predicted ? ` — heard as <b>${esc(c.predicted)}</b>` : ""}
      <div class="wave" id="wave-${i}"></div>
      <div>seed <audio controls preload="none" src="${fileUrl(run.name, c.seed)}"></audio> generated <audio class="gen" controls preload="none" src="${fileUrl(run.name, c.wav)}"></audio>
      <a href="${fileUrl(run.name, c.wav)}" download>download</a></div>
      <div class="mels"><img class="mel" loading="lazy" alt="mel spectrogram of ${esc(c.name)}" src="/api/runs/${encodeURIComponent(run.name)}/clips/${encodeURIComponent(c.name)}/mel.png">
      <img class="mel" loading="lazy" alt="mel spectrogram of the seed of ${esc(c.name)}" src="/api/runs/${encodeURIComponent(run.name)}/clips/${encodeURIComponent(c.name)}.seed/mel.png"></div></div>`,
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

async function classifyPage(): Promise<void> {
  const cks = (await getCheckpoints()).filter((c) => c.kind === "classifier");
  app.innerHTML = `<h1>Classify a file</h1>
    <form id="classify"><label>checkpoint <select name="checkpoint">${cks.map((c, i) => `<option value="${i}">${esc(c.run)} / ${esc(c.path)}</option>`).join("")}</select></label>
    <label>audio file <input type="file" name="file" accept=".wav,.au,.mp3,.flac,.ogg"></label> <button type="submit">Classify</button></form>
    <div id="result"></div><div class="wave" id="upload-wave"></div>`;
  const form = document.getElementById("classify") as HTMLFormElement;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = document.getElementById("result")!;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    const ck = cks[Number((form.elements.namedItem("checkpoint") as HTMLSelectElement).value)];
    if (!file || !ck) {
      out.innerHTML = `<p class="error">Choose a checkpoint and a file.</p>`;
      return;
    }
    out.textContent = "Classifying…";
    try {
      const r = await classify(ck.run, ck.path, file);
      out.innerHTML = `<h2 id="genre">${esc(r.genre)} <small>${pct(r.probability)}</small></h2>
        <table>${r.probabilities.map((p) => `<tr><td>${esc(p.genre)}</td><td><span class="bar" style="width:${(200 * p.probability).toFixed(0)}px"></span> ${pct(p.probability)}</td></tr>`).join("")}</table>
        <h3>Per window</h3><table>${r.windows.map((w) => `<tr><td>${w.startSeconds.toFixed(1)} s</td><td>${esc(w.genre)}</td><td>${pct(w.probability)}</td></tr>`).join("")}</table>`;
      document.getElementById("upload-wave")!.innerHTML = "";
      waveform(document.getElementById("upload-wave")!, file);
    } catch (err) {
      out.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
    }
  });
}

async function generatePage(): Promise<void> {
  const cks = await getCheckpoints();
  const gens = cks.filter((c) => c.kind === "generator");
  app.innerHTML = `<h1>Generate a clip</h1>
    <form id="generate"><label>checkpoint <select name="checkpoint">${gens.map((c, i) => `<option value="${i}">${esc(c.run)} / ${esc(c.genre)}</option>`).join("")}</select></label>
    <label>genre <select name="genre"></select></label>
    <label>seed song <select name="seedSong"></select></label>
    <label>seed at (s) <input name="offset" type="number" placeholder="random" min="0" step="0.1"></label>
    <label>seconds <input name="seconds" type="number" value="5" min="0.5" max="10" step="0.5"></label>
    <label>temperature <input name="temperature" type="number" min="0" max="5" step="0.05"></label>
    <button type="submit">Generate</button></form><div id="result"></div><div class="wave" id="gen-wave"></div>
    <h2>Clips generated here</h2><div id="served"></div>`;
  const form = document.getElementById("generate") as HTMLFormElement;
  const field = <T extends HTMLElement>(name: string) => form.elements.namedItem(name) as unknown as T;
  const pick = field<HTMLSelectElement>("checkpoint");
  const genre = field<HTMLSelectElement>("genre");
  const seedSong = field<HTMLSelectElement>("seedSong");
  const temperature = field<HTMLInputElement>("temperature");
  const showServed = async () => {
    const ck = gens[Number(pick.value)];
    const clips = ck ? await getServed(ck.run) : [];
    document.getElementById("served")!.innerHTML =
      clips
        .map(
          (c) => `<p>${esc(c.genre)}, seed ${esc(c.seedFile.split("/").pop())} at ${c.seedOffsetSeconds.toFixed(1)} s
      (${esc(c.created.slice(0, 19).replace("T", " "))}) <audio controls preload="none" src="${fileUrl(ck!.run, c.wav)}"></audio>
      <a href="${fileUrl(ck!.run, c.wav)}" download>download</a></p>`,
        )
        .join("") || "<p>None yet.</p>";
  };
  // The held-out songs of the chosen genre in the checkpoint's run, to take the seed from.
  const syncSeeds = async () => {
    const ck = gens[Number(pick.value)];
    const songs = ck && genre.value ? await getSeeds(ck.run, genre.value) : [];
    seedSong.innerHTML = `<option value="">any held-out song</option>${songs.map((s) => `<option>${esc(s.id)}</option>`).join("")}`;
  };
  // Only the genres the chosen checkpoint can generate (a per-genre model has one); the temperature only for models that draw.
  const sync = async () => {
    const ck = gens[Number(pick.value)];
    genre.innerHTML = (ck && ck.genre !== "all" ? [ck.genre ?? ""] : (ck?.genres ?? []))
      .map((o) => `<option>${esc(o)}</option>`)
      .join("");
    temperature.disabled = ck?.temperature === null;
    temperature.value = "";
    temperature.placeholder = ck?.temperature === null ? "not used by this model" : `default ${ck?.temperature ?? ""}`;
    await Promise.all([syncSeeds(), showServed()]);
  };
  pick.addEventListener("change", () => void sync());
  genre.addEventListener("change", () => void syncSeeds());
  await sync();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = document.getElementById("result")!;
    const ck = gens[Number(pick.value)];
    if (!ck) {
      out.innerHTML = `<p class="error">No generator checkpoint.</p>`;
      return;
    }
    out.textContent = "Generating…";
    try {
      const r = await generate({
        run: ck.run,
        checkpoint: ck.path,
        genre: genre.value,
        seconds: Number(field<HTMLInputElement>("seconds").value),
        temperature: temperature.disabled ? undefined : optionalNumber(temperature.value),
        seed: Date.now() % 100000,
        seedSong: seedSong.value || undefined,
        offset: optionalNumber(field<HTMLInputElement>("offset").value),
      });
      const real = r.real ? ` the real continuation <audio controls preload="none" src="${r.real}"></audio>` : "";
      out.innerHTML = `<p>seed (${esc(r.seedFile.split("/").pop())} at ${r.seedOffsetSeconds.toFixed(1)} s) <audio controls src="${r.seed}"></audio> generated <audio id="generated" controls src="${r.wav}"></audio>${real}</p>`;
      document.getElementById("gen-wave")!.innerHTML = "";
      waveform(document.getElementById("gen-wave")!, r.wav);
      await showServed();
    } catch (err) {
      out.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
    }
  });
}

async function route(): Promise<void> {
  live?.close();
  waves.splice(0).forEach((w) => w.destroy());
  clearCharts();
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

/** An empty number field means "not given" (the server then uses the model's default). */
function optionalNumber(value: string): number | undefined {
  return value.trim() === "" ? undefined : Number(value);
}
