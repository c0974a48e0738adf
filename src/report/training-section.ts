// The training section (study Fig. 5): classifier curves, each generator's losses beside its baselines,
// and every step's training loss.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readJsonLines } from "../util/json.js";
import { hasMse, lineChart, stepChart, writeChart, type StepRow } from "./charts.js";
import type { ReportContext, Row } from "./context.js";
import type { Figure, Section } from "./html.js";

const generatorName = (file: string) => file.replace(/^generator-|\.jsonl$/g, "");

async function classifierFigures(c: ReportContext, cls: Row[]): Promise<Figure[]> {
  if (!cls.length) return [];
  const accuracy = { validWindowAccuracy: "window", validSongAccuracy: "song (vote)", trainAccuracy: "train" };
  await writeChart(
    c.fig("classifier-accuracy.svg"),
    lineChart("Classifier validation accuracy", cls, "epoch", accuracy, "accuracy"),
  );
  await writeChart(
    c.fig("classifier-loss.svg"),
    lineChart("Classifier loss", cls, "epoch", { trainLoss: "train", validLoss: "validation" }, "cross-entropy"),
  );
  return [
    { src: "figures/classifier-accuracy.svg", caption: "Validation accuracy per epoch (windows and songs)" },
    { src: "figures/classifier-loss.svg", caption: "Training and validation loss" },
  ];
}

interface GeneratorCurves {
  figures: Figure[];
  /** Each generator's last metrics row, for summary.json. */
  last: Record<string, Row | null>;
  /** Whether any is a waveform model (validated by sample MSE, so its step losses want a log scale). */
  waveform: boolean;
}

async function generatorFigures(c: ReportContext, files: string[]): Promise<GeneratorCurves> {
  const out: GeneratorCurves = { figures: [], last: {}, waveform: false };
  for (const file of files) {
    const g = generatorName(file);
    const rows = readJsonLines<Row>(join(c.paths.metricsDir, file));
    out.last[g] = rows.at(-1) ?? null;
    // A waveform model is validated by sample MSE beside its baselines; the token model by cross-entropy.
    const mse = hasMse(rows);
    out.waveform ||= mse;
    const loss: Record<string, string> = mse
      ? { validMse: "validation MSE", silenceMse: "silence", repeatMse: "repeat last 0.1 s", trainLoss: "train loss" }
      : { trainLoss: "train", validLoss: "validation" };
    const size = { logY: mse, width: 260, height: 150 };
    await writeChart(
      c.fig(`generator-${g}.svg`),
      lineChart(`Generator ${g}`, rows, "epoch", loss, mse ? "loss" : "cross-entropy", size),
    );
    out.figures.push({
      src: `figures/generator-${g}.svg`,
      caption: mse
        ? `${g}: training loss and validation MSE against the baselines`
        : `${g}: next-token cross-entropy, training and validation`,
    });
  }
  return out;
}

/** Each step's training loss, faint as logged and solid smoothed (0.6, the dashboard's default). */
async function stepFigures(c: ReportContext, generatorFiles: string[], generatorLogY: boolean): Promise<Figure[]> {
  const figures: Figure[] = [];
  const stepsOf = (files: readonly string[]) =>
    Object.fromEntries(
      files.flatMap((f) => {
        const rows = readJsonLines<StepRow>(join(c.paths.stepsDir, f));
        return rows.length ? [[generatorName(f), rows]] : [];
      }),
    );
  for (const [title, name, files, logY] of [
    ["Classifier", "classifier", ["classifier.jsonl"], false],
    ["Generator", "generator", generatorFiles, generatorLogY],
  ] as const) {
    const series = stepsOf(files);
    if (!Object.keys(series).length) continue;
    await writeChart(c.fig(`${name}-steps.svg`), stepChart(`${title} training loss per step`, series, 0.6, { logY }));
    const who = name === "classifier" ? "Classifier" : "Generators";
    figures.push({
      src: `figures/${name}-steps.svg`,
      caption: `${who}: each step's training loss (faint) and its exponential smoothing (0.6)`,
    });
  }
  return figures;
}

export async function trainingSection(
  c: ReportContext,
  cls: Row[],
): Promise<{ section: Section; generatorsLast: Record<string, Row | null> }> {
  const dir = c.paths.metricsDir;
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith("generator-"))
        .sort()
    : [];
  const generators = await generatorFigures(c, files);
  const figures = [
    ...(await classifierFigures(c, cls)),
    ...generators.figures,
    ...(await stepFigures(c, files, generators.waveform)),
  ];
  return { section: { title: "Training (study Fig. 5)", figures }, generatorsLast: generators.last };
}
