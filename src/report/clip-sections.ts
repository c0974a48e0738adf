// The run's audio: a real clip (study Fig. 1), the generated clips' mel spectrograms beside the real
// continuations of their seeds (study Fig. 3), and every generated clip's player.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadAudio, melDb, MelSpectrogram, spectrogramDb, WORK_RATE, type DbImage } from "../audio/index.js";
import type { GeneratedEvaluation } from "../eval/evaluate.js";
import type { GeneratedClip } from "../pipeline/clips.js";
import { waveformChart, writeChart } from "./charts.js";
import type { ReportContext } from "./context.js";
import type { Figure, Player, Section } from "./html.js";
import { writeHeatmapPng } from "./images.js";

/** The dB span of the mel figures' shared colour scale (the classifier's top_db). */
const MEL_RANGE_DB = 80;

/** A 256-step ramp over `range`: the colour scale drawn as a strip. */
const colourBar = ([lo, hi]: [number, number]): Float32Array =>
  Float32Array.from({ length: 256 }, (_, i) => lo + ((hi - lo) * i) / 255);

/** A real clip's waveform and spectrogram: rock, as the study; else the first genre found; null without any. */
export async function realClipSection(c: ReportContext): Promise<Section | null> {
  const dir = join(c.paths.generated, "real");
  const genres = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".wav"))
        .sort()
        .map((f) => f.slice(0, -4))
    : [];
  const genre = genres.includes("rock") ? "rock" : genres[0];
  if (!genre) return null;
  const wav = join(dir, `${genre}.wav`);
  const samples = (await loadAudio(wav)).samples;
  await writeChart(c.fig("real-waveform.svg"), waveformChart(`Waveform of a real ${genre} clip`, samples, WORK_RATE));
  const s = spectrogramDb(samples, { nFft: 512, hopLength: 128, topDb: 80 });
  writeHeatmapPng(c.fig("real-spectrogram.png"), s.values, s.rows, s.cols, { scaleX: 2, scaleY: 1 });
  return {
    title: `A real ${genre} clip (study Fig. 1)`,
    figures: [
      { src: "figures/real-waveform.svg", caption: "Waveform, 5 s at 10 kHz" },
      { src: "figures/real-spectrogram.png", caption: "Spectrogram (STFT 512, hop 128; 0–5 kHz, 80 dB range)" },
    ],
    audio: [{ label: `real ${genre}`, src: c.rel(wav) }],
  };
}

function player(c: ReportContext, clip: GeneratedClip, ev: GeneratedEvaluation | null): Player {
  const judged = ev?.clips.find((j) => j.name === clip.name);
  const heard = judged ? ` — heard as ${judged.predicted} (${(100 * judged.probability).toFixed(0)}%)` : "";
  return {
    genre: clip.genre,
    label: `${clip.name}${heard}`,
    src: c.rel(c.paths.clip(clip.wav)),
    seed: c.rel(c.paths.clip(clip.seedWav)),
    real: clip.realWav ? c.rel(c.paths.clip(clip.realWav)) : undefined,
  };
}

/** Each genre's first clip's mel figure beside its real continuation's, all drawn on one dB scale. */
async function melSection(c: ReportContext, clips: GeneratedClip[]): Promise<Section> {
  const mel = new MelSpectrogram();
  const pairs: (Figure & { pair?: string })[] = [];
  const mels: { file: string; db: DbImage }[] = [];
  const seen = new Set<string>();
  for (const clip of clips) {
    if (seen.has(clip.genre)) continue;
    seen.add(clip.genre);
    for (const [kind, path] of [
      ["generated", clip.wav],
      ["real", clip.realWav],
    ] as const) {
      if (!path) continue;
      mels.push({
        file: `mel-${clip.genre}-${kind}.png`,
        db: melDb(mel, (await loadAudio(c.paths.clip(path))).samples),
      });
    }
    pairs.push({
      src: `figures/mel-${clip.genre}-generated.png`,
      caption: `${clip.genre}: generated`,
      pair: clip.realWav ? `figures/mel-${clip.genre}-real.png` : undefined,
    });
  }
  // One dB scale for every mel figure (the loudest 80 dB of them all), so a quiet clip looks quiet.
  const top = Math.max(...mels.map((m) => m.db.values.reduce((a, v) => Math.max(a, v), -Infinity)));
  const range: [number, number] = [top - MEL_RANGE_DB, top];
  for (const m of mels) writeHeatmapPng(c.fig(m.file), m.db.values, m.db.rows, m.db.cols, { range });
  const scale = `${range[0].toFixed(0)} dB (dark) to ${range[1].toFixed(0)} dB (bright)`;
  if (mels.length) writeHeatmapPng(c.fig("mel-scale.png"), colourBar(range), 1, 256, { range, scaleX: 1, scaleY: 12 });
  return {
    title: "Mel spectrograms of generated clips (study Fig. 3), each beside the real continuation of its seed",
    melPairs: pairs,
    figures: mels.length
      ? [{ src: "figures/mel-scale.png", caption: `the colour scale of every figure below: ${scale}` }]
      : [],
    note:
      "Time runs left to right (5 s), mel frequency from bottom to top (0–5 kHz); all share one colour scale, " +
      `${MEL_RANGE_DB} dB from dark to bright, so a quiet clip looks dark.`,
  };
}

export async function clipSections(
  c: ReportContext,
  clips: GeneratedClip[],
  ev: GeneratedEvaluation | null,
): Promise<Section[]> {
  const players = clips.map((clip) => player(c, clip, ev));
  return [await melSection(c, clips), { title: "Listen: every generated clip after its 0.9 s seed", players }];
}
