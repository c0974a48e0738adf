// The HTML report of a run: reads only the run folder (config, metrics, evaluations, generated audio)
// and writes report/index.html, its figures and summary.json. Opens from disk; no server needed.
import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import {
  decodeFile,
  melDb,
  mixToMono,
  MelSpectrogram,
  spectrogramDb,
  WORK_RATE,
  type DbImage,
} from "../audio/index.js";
import type { GeneratedClip } from "../pipeline/clips.js";
import type { GeneratedEvaluation, SongEvaluation } from "../eval/evaluate.js";
import type { RunPaths } from "../pipeline/paths.js";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs.js";
import { readJsonFile, readJsonLines } from "../util/json.js";
import {
  barChart,
  confusionChart,
  hasMse,
  lineChart,
  stepChart,
  waveformChart,
  writeChart,
  type StepRow,
} from "./charts.js";
import { headline, recipeName } from "./headline.js";
import { settingsRows } from "./settings.js";
import { renderHtml, type ReportModel } from "./html.js";
import { writeHeatmapPng } from "./images.js";

type Row = Record<string, number | string | null>;

/** The dB span of the mel figures' shared colour scale (the classifier's top_db). */
const MEL_RANGE_DB = 80;

/** A 256-step ramp over `range`: the colour scale drawn as a strip. */
const colourBar = ([lo, hi]: [number, number]): Float32Array =>
  Float32Array.from({ length: 256 }, (_, i) => lo + ((hi - lo) * i) / 255);

async function monoOf(path: string): Promise<Float32Array> {
  return mixToMono(await decodeFile(path));
}

export async function buildReport(p: RunPaths, timings: Record<string, number>): Promise<string> {
  const figures = join(p.report, "figures");
  const fig = (name: string) => join(figures, name);
  const rel = (path: string) => relative(p.report, path);
  const config = readJsonFile<Record<string, unknown>>(p.config) ?? {};
  const data = readJsonFile<Record<string, unknown>>(p.eval("data"));
  const evalTrain = readJsonFile<SongEvaluation>(p.eval("classifier-train"));
  const evalTest = readJsonFile<SongEvaluation>(p.eval("classifier-test"));
  const evalGen = readJsonFile<GeneratedEvaluation>(p.eval("generated"));
  const clips = readJsonFile<GeneratedClip[]>(p.clipIndex) ?? [];
  const cls = readJsonLines<Row>(p.metrics("classifier"));
  const mel = new MelSpectrogram();
  const generator = config.generator as Record<string, unknown> | undefined;
  const model: ReportModel = {
    title: basename(p.root),
    config,
    data,
    timings,
    headline: headline(evalTest, evalGen, generator),
    sections: [],
  };

  // Fig. 1: a real clip's waveform and spectrogram (rock, as the study; else the first label found).
  const realDir = join(p.generated, "real");
  const reals = existsSync(realDir)
    ? readdirSync(realDir)
        .filter((f) => f.endsWith(".wav"))
        .sort()
        .map((f) => f.slice(0, -4))
    : [];
  const realGenre = reals.includes("rock") ? "rock" : reals[0];
  if (realGenre) {
    const samples = await monoOf(join(realDir, `${realGenre}.wav`));
    await writeChart(
      fig("real-waveform.svg"),
      waveformChart(`Waveform of a real ${realGenre} clip`, samples, WORK_RATE),
    );
    const s = spectrogramDb(samples, { nFft: 512, hopLength: 128, topDb: 80 });
    writeHeatmapPng(fig("real-spectrogram.png"), s.values, s.rows, s.cols, { scaleX: 2, scaleY: 1 });
    model.sections.push({
      title: `A real ${realGenre} clip (study Fig. 1)`,
      figures: [
        { src: "figures/real-waveform.svg", caption: "Waveform, 5 s at 10 kHz" },
        { src: "figures/real-spectrogram.png", caption: "Spectrogram (STFT 512, hop 128; 0–5 kHz, 80 dB range)" },
      ],
      audio: [{ label: `real ${realGenre}`, src: rel(join(realDir, `${realGenre}.wav`)) }],
    });
  }

  // Fig. 5: classifier learning curves; generator losses with the two baselines.
  if (cls.length) {
    await writeChart(
      fig("classifier-accuracy.svg"),
      lineChart(
        "Classifier validation accuracy",
        cls,
        "epoch",
        { validWindowAccuracy: "window", validSongAccuracy: "song (vote)", trainAccuracy: "train" },
        "accuracy",
      ),
    );
    await writeChart(
      fig("classifier-loss.svg"),
      lineChart("Classifier loss", cls, "epoch", { trainLoss: "train", validLoss: "validation" }, "cross-entropy"),
    );
  }
  const genFigures = [];
  const generatorRuns = existsSync(p.metricsDir)
    ? readdirSync(p.metricsDir)
        .filter((f) => f.startsWith("generator-"))
        .sort()
    : [];
  // Each generator's last metrics row, for summary.json.
  const generatorsLast: Record<string, Row | null> = {};
  let waveformModels = false;
  for (const file of generatorRuns) {
    const g = file.replace(/^generator-|\.jsonl$/g, "");
    const rows = readJsonLines<Row>(join(p.metricsDir, file));
    generatorsLast[g] = rows.at(-1) ?? null;
    // A waveform model is validated by sample MSE beside its baselines; the token model by cross-entropy.
    const mse = hasMse(rows);
    waveformModels ||= mse;
    const loss: Record<string, string> = mse
      ? { validMse: "validation MSE", silenceMse: "silence", repeatMse: "repeat last 0.1 s", trainLoss: "train loss" }
      : { trainLoss: "train", validLoss: "validation" };
    await writeChart(
      fig(`generator-${g}.svg`),
      lineChart(`Generator ${g}`, rows, "epoch", loss, mse ? "loss" : "cross-entropy", {
        logY: mse,
        width: 260,
        height: 150,
      }),
    );
    genFigures.push({
      src: `figures/generator-${g}.svg`,
      caption: mse
        ? `${g}: training loss and validation MSE against the baselines`
        : `${g}: next-token cross-entropy, training and validation`,
    });
  }
  // Each step's training loss, faint as logged and solid smoothed (0.6, the dashboard's default).
  const stepFigures = [];
  const stepsOf = (files: string[]) =>
    Object.fromEntries(
      files.flatMap((f) => {
        const rows = readJsonLines<StepRow>(join(p.stepsDir, f));
        return rows.length ? [[f.replace(/^generator-|\.jsonl$/g, ""), rows]] : [];
      }),
    );
  for (const [name, files, logY] of [
    ["classifier", ["classifier.jsonl"], false],
    ["generator", generatorRuns, waveformModels],
  ] as const) {
    const series = stepsOf([...files]);
    if (!Object.keys(series).length) continue;
    await writeChart(
      fig(`${name}-steps.svg`),
      stepChart(`${name === "classifier" ? "Classifier" : "Generator"} training loss per step`, series, 0.6, { logY }),
    );
    stepFigures.push({
      src: `figures/${name}-steps.svg`,
      caption: `${name === "classifier" ? "Classifier" : "Generators"}: each step's training loss (faint) and its exponential smoothing (0.6)`,
    });
  }
  model.sections.push({
    title: "Training (study Fig. 5)",
    figures: [
      ...(cls.length
        ? [
            { src: "figures/classifier-accuracy.svg", caption: "Validation accuracy per epoch (windows and songs)" },
            { src: "figures/classifier-loss.svg", caption: "Training and validation loss" },
          ]
        : []),
      ...genFigures,
      ...stepFigures,
    ],
  });

  // Fig. 6: confusion matrices.
  const conf = [];
  for (const [name, ev, title] of [
    ["train", evalTrain?.song, "Training songs"],
    ["test", evalTest?.song, "Held-out test songs"],
    ["generated", evalGen?.report, "Generated clips"],
  ] as const) {
    if (!ev) continue;
    await writeChart(
      fig(`confusion-${name}.svg`),
      confusionChart(
        `${title} (accuracy ${(100 * ev.accuracy).toFixed(1)}%)`,
        ev.confusion,
        ev.perClass.map((c) => c.name),
      ),
    );
    conf.push({ src: `figures/confusion-${name}.svg`, caption: `${title}: ${ev.count} items` });
  }
  model.sections.push({ title: "What the classifier hears (study Fig. 6)", figures: conf });

  // Genre fidelity and Fréchet distance.
  if (evalGen) {
    await writeChart(
      fig("fidelity.svg"),
      barChart(
        "Genre fidelity of generated clips",
        evalGen.perGenre.map((g) => ({ genre: g.genre, value: g.fidelity })),
        "share classified as the seed genre",
        [0, 1],
      ),
    );
    model.sections.push({
      title: "Genre fidelity and Fréchet distance",
      figures: [
        {
          src: "figures/fidelity.svg",
          caption: "Share of each genre's generated clips that the classifier assigns to that genre",
        },
      ],
      note: "Copy score: the median best normalised cross-correlation of a 0.2 s excerpt (each clip's last) with any stretch of the genre's training songs; 1 = a copy. Real continuations are held-out audio: a generated clip scoring like them copies nothing. Repetition: the same score of a clip's last 0.2 s against its own seed and earlier audio (a loop scores 1; real music repeats too).",
      table: {
        head: [
          "genre",
          "clips",
          "fidelity",
          "fidelity of the real continuations",
          "Fréchet distance to real test windows: generated",
          "the same: real continuations",
          "copy score: generated",
          "copy score: real continuations",
          "repetition: generated",
          "repetition: real continuations",
        ],
        rows: evalGen.perGenre.map((g) => [
          g.genre,
          String(g.clips),
          pct(g.fidelity),
          g.fidelityReal === null ? "—" : pct(g.fidelityReal),
          fmt(g.frechet),
          fmt(g.frechetReal),
          fmt2(g.copyGenerated),
          fmt2(g.copyReal),
          fmt2(g.repetitionGenerated),
          fmt2(g.repetitionReal),
        ]),
      },
    });
  }

  // Loudness and movement of generated clips beside the real continuations of their seeds.
  const cont = evalGen?.continuation;
  if (cont?.generatedDb.length) {
    const rows = cont.generatedDb.map((g, s) => ({ second: s + 1, generatedDb: g, realDb: cont.realDb[s]! }));
    // A fixed 60 dB range, so 1 dB looks like 1 dB and a hum 20 dB down looks that far down.
    const floor = Math.min(-60, Math.floor(Math.min(...rows.flatMap((r) => [r.generatedDb, r.realDb])) / 10) * 10);
    await writeChart(
      fig("loudness.svg"),
      lineChart(
        "Level per second (median over clips)",
        rows,
        "second",
        { generatedDb: "generated", realDb: "real continuation" },
        "RMS dB re full scale",
        { yDomain: [floor, 0] },
      ),
    );
    model.sections.push({
      title: `Generated vs real continuation, second by second (${recipeName(generator)})`,
      figures: [
        {
          src: "figures/loudness.svg",
          caption:
            "Median RMS level of each second after the seed: generated clips and the real continuations of the same seeds",
        },
      ],
      table: {
        head: ["second", "generated dB", "real dB", "median |gap| dB", "spectral flux: generated", "real", "ratio"],
        rows: cont.generatedDb.map((g, s) => [
          String(s + 1),
          g.toFixed(1),
          cont.realDb[s]!.toFixed(1),
          cont.loudnessGapDb[s]!.toFixed(1),
          cont.generatedFlux[s]!.toFixed(2),
          cont.realFlux[s]!.toFixed(2),
          cont.fluxRatio[s]!.toFixed(2),
        ]),
      },
    });
  }

  // Fig. 3: mel spectrograms of generated clips beside the real continuation; every clip's player.
  const melFigures = [];
  const players = [];
  const firstPerGenre = new Set<string>();
  const mels: { file: string; db: DbImage }[] = [];
  for (const clip of clips) {
    const judged = evalGen?.clips.find((c) => c.name === clip.name);
    players.push({
      genre: clip.genre,
      label: `${clip.name}${judged ? ` — heard as ${judged.predicted} (${(100 * judged.probability).toFixed(0)}%)` : ""}`,
      src: rel(p.clip(clip.wav)),
      seed: rel(p.clip(clip.seedWav)),
      real: clip.realWav ? rel(p.clip(clip.realWav)) : undefined,
    });
    if (firstPerGenre.has(clip.genre)) continue;
    firstPerGenre.add(clip.genre);
    for (const [kind, path] of [
      ["generated", clip.wav],
      ["real", clip.realWav],
    ] as const) {
      if (!path) continue;
      mels.push({ file: `mel-${clip.genre}-${kind}.png`, db: melDb(mel, await monoOf(p.clip(path))) });
    }
    melFigures.push({
      src: `figures/mel-${clip.genre}-generated.png`,
      caption: `${clip.genre}: generated`,
      pair: clip.realWav ? `figures/mel-${clip.genre}-real.png` : undefined,
    });
  }
  // One dB scale for every mel figure (the loudest 80 dB of them all), so a quiet clip looks quiet.
  const top = Math.max(...mels.map((m) => m.db.values.reduce((a, v) => Math.max(a, v), -Infinity)));
  const range: [number, number] = [top - MEL_RANGE_DB, top];
  for (const m of mels) writeHeatmapPng(fig(m.file), m.db.values, m.db.rows, m.db.cols, { range });
  if (mels.length) writeHeatmapPng(fig("mel-scale.png"), colourBar(range), 1, 256, { range, scaleX: 1, scaleY: 12 });
  model.sections.push({
    title: "Mel spectrograms of generated clips (study Fig. 3), each beside the real continuation of its seed",
    melPairs: melFigures,
    figures: mels.length
      ? [
          {
            src: "figures/mel-scale.png",
            caption: `the colour scale of every figure below: ${range[0].toFixed(0)} dB (dark) to ${range[1].toFixed(0)} dB (bright)`,
          },
        ]
      : [],
    note: `Time runs left to right (5 s), mel frequency from bottom to top (0–5 kHz); all share one colour scale, ${MEL_RANGE_DB} dB from dark to bright, so a quiet clip looks dark.`,
  });
  model.sections.push({ title: "Listen: every generated clip after its 0.9 s seed", players });
  const settings = settingsRows(config);
  model.sections.push({
    title: "Settings",
    table: { head: ["setting", "this run", "the study (where the generator differs)"], rows: settings },
    note: `${settings.filter((r) => r[2]).length} generator settings differ from the study's recipe (--preset study); the classifier's are listed as they were.`,
  });

  const summary = {
    run: p.root,
    data,
    timings,
    classifier: {
      train: evalTrain && pick(evalTrain),
      test: evalTest && pick(evalTest),
      epochs: cls.length,
      bestEpoch: bestEpoch(cls),
    },
    headline: model.headline,
    generated: evalGen && {
      recipe: generator?.preset ?? null,
      accuracy: evalGen.report.accuracy,
      count: evalGen.report.count,
      realContinuationAccuracy: evalGen.realReport?.accuracy ?? null,
      perGenre: evalGen.perGenre,
      confusion: evalGen.report.confusion,
      continuation: evalGen.continuation,
    },
    generators: generatorsLast,
    clips: clips.map((c) => c.name),
  };
  writeJsonAtomic(join(p.report, "summary.json"), summary);
  const index = join(p.report, "index.html");
  writeFileAtomic(index, renderHtml(model));
  return index;
}

const fmt = (x: number | null) => (x === null ? "—" : x.toFixed(1));
const fmt2 = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(2));
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const pick = (e: SongEvaluation) => ({
  songAccuracy: e.song.accuracy,
  windowAccuracy: e.window.accuracy,
  songs: e.song.count,
  confusion: e.song.confusion,
  perGenre: e.song.perClass,
});
const bestEpoch = (rows: Row[]) =>
  rows.reduce<Row | null>((b, r) => (!b || Number(r.validSongAccuracy) > Number(b.validSongAccuracy) ? r : b), null)
    ?.epoch ?? null;
