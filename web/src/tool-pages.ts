// The pages that run a model on the server: classify an upload, generate a clip.
import { classify, fileUrl, generate, getCheckpoints, getSeeds, getServed } from "./api.js";
import { esc, pct } from "./format.js";
import { app } from "./page.js";
import { waveform } from "./wave.js";

export async function classifyPage(): Promise<void> {
  const cks = (await getCheckpoints()).filter((c) => c.kind === "classifier");
  app.innerHTML = `<h1>Classify a file</h1>
    <form id="classify"><label>checkpoint <select name="checkpoint">${cks
      .map((c, i) => `<option value="${i}">${esc(c.run)} / ${esc(c.path)}</option>`)
      .join("")}</select></label>
    <label>audio file <input type="file" name="file" accept=".wav,.au,.mp3,.flac,.ogg"></label>
    <button type="submit">Classify</button></form>
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
        <table>${r.probabilities
          .map(
            (p) =>
              `<tr><td>${esc(p.genre)}</td><td><span class="bar" ` +
              `style="width:${(200 * p.probability).toFixed(0)}px"></span> ` +
              `${pct(p.probability)}</td></tr>`,
          )
          .join("")}</table>
        <h3>Per window</h3><table>${r.windows
          .map(
            (w) =>
              `<tr><td>${w.startSeconds.toFixed(1)} ` +
              `s</td><td>${esc(w.genre)}</td><td>${pct(w.probability)}</td></tr>`,
          )
          .join("")}</table>`;
      document.getElementById("upload-wave")!.innerHTML = "";
      waveform(document.getElementById("upload-wave")!, file);
    } catch (err) {
      out.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
    }
  });
}

export async function generatePage(): Promise<void> {
  const cks = await getCheckpoints();
  const gens = cks.filter((c) => c.kind === "generator");
  app.innerHTML = `<h1>Generate a clip</h1>
    <form id="generate"><label>checkpoint <select name="checkpoint">${gens
      .map((c, i) => `<option value="${i}">${esc(c.run)} / ${esc(c.genre)}</option>`)
      .join("")}</select></label>
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
      (${esc(c.created.slice(0, 19).replace("T", " "))})
      <audio controls preload="none" src="${fileUrl(ck!.run, c.wav)}"></audio>
      <a href="${fileUrl(ck!.run, c.wav)}" download>download</a></p>`,
        )
        .join("") || "<p>None yet.</p>";
  };
  // The held-out songs of the chosen genre in the checkpoint's run, to take the seed from.
  const syncSeeds = async () => {
    const ck = gens[Number(pick.value)];
    const songs = ck && genre.value ? await getSeeds(ck.run, genre.value) : [];
    const options = songs.map((s) => `<option>${esc(s.id)}</option>`).join("");
    seedSong.innerHTML = `<option value="">any held-out song</option>${options}`;
  };
  // Only the genres the chosen checkpoint can generate (a per-genre model has one); the temperature only for
  // models that draw.
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
      out.innerHTML =
        `<p>seed (${esc(r.seedFile.split("/").pop())} at ${r.seedOffsetSeconds.toFixed(1)} s) <audio ` +
        `controls src="${r.seed}"></audio> generated <audio id="generated" controls src="${r.wav}"></audio>${real}</p>`;
      document.getElementById("gen-wave")!.innerHTML = "";
      waveform(document.getElementById("gen-wave")!, r.wav);
      await showServed();
    } catch (err) {
      out.innerHTML = `<p class="error">${esc((err as Error).message)}</p>`;
    }
  });
}

/** An empty number field means "not given" (the server then uses the model's default). */
function optionalNumber(value: string): number | undefined {
  return value.trim() === "" ? undefined : Number(value);
}
