// What the classifier hears (study Fig. 6), each genre's fidelity and distances, and the generated clips'
// level and movement second by second beside the real continuations of their seeds.
import type { GeneratedEvaluation, SongEvaluation } from "../eval/evaluate.js";
import { barChart, confusionChart, lineChart, writeChart } from "./charts.js";
import type { ReportContext } from "./context.js";
import { recipeName } from "./headline.js";
import type { Figure, Section } from "./html.js";

const fmt = (x: number | null) => (x === null ? "—" : x.toFixed(1));
const fmt2 = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(2));
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

export async function confusionSection(
  c: ReportContext,
  train: SongEvaluation | null,
  test: SongEvaluation | null,
  generated: GeneratedEvaluation | null,
): Promise<Section> {
  const figures: Figure[] = [];
  for (const [name, ev, title] of [
    ["train", train?.song, "Training songs"],
    ["test", test?.song, "Held-out test songs"],
    ["generated", generated?.report, "Generated clips"],
  ] as const) {
    if (!ev) continue;
    const names = ev.perClass.map((k) => k.name);
    const chart = confusionChart(`${title} (accuracy ${(100 * ev.accuracy).toFixed(1)}%)`, ev.confusion, names);
    await writeChart(c.fig(`confusion-${name}.svg`), chart);
    figures.push({ src: `figures/confusion-${name}.svg`, caption: `${title}: ${ev.count} items` });
  }
  return { title: "What the classifier hears (study Fig. 6)", figures };
}

const FIDELITY_NOTE =
  "Copy score: the median best normalised cross-correlation of a 0.2 s excerpt (each clip's last) with any " +
  "stretch of the genre's training songs; 1 = a copy. Real continuations are held-out audio: a generated clip " +
  "scoring like them copies nothing. Repetition: the same score of a clip's last 0.2 s against its own seed " +
  "and earlier audio (a loop scores 1; real music repeats too).";

export async function fidelitySection(c: ReportContext, ev: GeneratedEvaluation): Promise<Section> {
  const bars = ev.perGenre.map((g) => ({ genre: g.genre, value: g.fidelity }));
  const chart = barChart("Genre fidelity of generated clips", bars, "share classified as the seed genre", [0, 1]);
  await writeChart(c.fig("fidelity.svg"), chart);
  return {
    title: "Genre fidelity and Fréchet distance",
    figures: [
      {
        src: "figures/fidelity.svg",
        caption: "Share of each genre's generated clips that the classifier assigns to that genre",
      },
    ],
    note: FIDELITY_NOTE,
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
      rows: ev.perGenre.map((g) => [
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
  };
}

/** Loudness and movement of generated clips beside the real continuations of their seeds; null without them. */
export async function continuationSection(
  c: ReportContext,
  ev: GeneratedEvaluation,
  generator: Record<string, unknown> | undefined,
): Promise<Section | null> {
  const cont = ev.continuation;
  if (!cont?.generatedDb.length) return null;
  const rows = cont.generatedDb.map((g, s) => ({ second: s + 1, generatedDb: g, realDb: cont.realDb[s]! }));
  // A fixed 60 dB range, so 1 dB looks like 1 dB and a hum 20 dB down looks that far down.
  const floor = Math.min(-60, Math.floor(Math.min(...rows.flatMap((r) => [r.generatedDb, r.realDb])) / 10) * 10);
  const series = { generatedDb: "generated", realDb: "real continuation" };
  await writeChart(
    c.fig("loudness.svg"),
    lineChart("Level per second (median over clips)", rows, "second", series, "RMS dB re full scale", {
      yDomain: [floor, 0],
    }),
  );
  return {
    title: `Generated vs real continuation, second by second (${recipeName(generator)})`,
    figures: [
      {
        src: "figures/loudness.svg",
        caption:
          "Median RMS level of each second after the seed: generated clips and the real continuations of the same " +
          "seeds",
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
  };
}
