// Judging audio with a trained classifier: real songs (window and song level) and generated clips
// (each clip one window, as long as the classifier's window), genre fidelity and Fréchet distances.
import { MelSpectrogram } from "../audio/index.js";
import { ClassifierExamples, GENRES, genreIndex, type Song } from "../data/index.js";
import { frechetDistance } from "../eval/frechet.js";
import { report, type ClassificationReport } from "../eval/metrics.js";
import { predictWindows, songVotes, windowClasses } from "../eval/predict.js";
import type { Classifier } from "../models/classifier.js";
import { cat, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";
import { loadClassifier, type ClassifierMeta } from "../train/classifier.js";

export interface SongEvaluation {
  checkpoint: string;
  window: ClassificationReport;
  song: ClassificationReport;
  songs: { id: string; label: string; predicted: string; probability: number }[];
}

function examplesFor(meta: ClassifierMeta, songs: readonly Song[]): ClassifierExamples {
  return new ClassifierExamples(songs, new MelSpectrogram(meta.mel), { sampleRate: meta.sampleRate, windowSeconds: meta.windowSeconds });
}

/** Window- and song-level reports of a checkpoint on labelled songs. */
export function evaluateSongs(checkpoint: string, songs: readonly Song[]): SongEvaluation {
  const { model, meta } = loadClassifier(checkpoint);
  const p = predictWindows(model, examplesFor(meta, songs));
  const votes = songVotes(p);
  return {
    checkpoint,
    window: report(p.labels, windowClasses(p), GENRES),
    song: report(votes.map((v) => v.label), votes.map((v) => v.predicted), GENRES),
    songs: votes.map((v) => ({ id: songs[v.song].track.id, label: GENRES[v.label], predicted: GENRES[v.predicted], probability: v.probs[v.predicted] })),
  };
}

export interface Classification {
  genre: string;
  probability: number;
  /** Every genre, most likely first (mean of the windows' probabilities). */
  probabilities: { genre: string; probability: number }[];
  windows: { startSeconds: number; genre: string; probability: number }[];
  seconds: number;
}

/** Names the genre of one unlabelled signal by voting over its windows. */
export function classifySamples(model: Classifier, meta: ClassifierMeta, mel: MelSpectrogram, samples: Float32Array, id: string): Classification {
  const song: Song = { track: { id, genre: GENRES[0], label: 0, index: 0, path: id }, samples };
  const ex = new ClassifierExamples([song], mel, { sampleRate: meta.sampleRate, windowSeconds: meta.windowSeconds });
  const p = predictWindows(model, ex);
  const [vote] = songVotes(p);
  const probabilities = vote.probs.map((probability, i) => ({ genre: GENRES[i], probability })).sort((a, b) => b.probability - a.probability);
  const windows = windowClasses(p).map((c, i) => ({ startSeconds: ex.windows[i].offset / meta.sampleRate, genre: GENRES[c], probability: p.probs[i * p.classes + c] }));
  return { genre: probabilities[0].genre, probability: probabilities[0].probability, probabilities, windows, seconds: samples.length / meta.sampleRate };
}

/** Classifier embeddings of every window of `songs` ([windows, d]). */
function embeddings(model: Classifier, ex: ClassifierExamples): Tensor {
  return noGrad(() => tidy(() => {
    model.eval();
    const parts: Tensor[] = [];
    for (const b of ex.batches(64)) parts.push(model.embed(b.x));
    return cat(parts);
  }));
}

export interface GenreFidelity {
  genre: string;
  clips: number;
  /** Share of generated clips the classifier assigns to their seed genre. */
  fidelity: number;
  /** Fréchet distance between real test windows and generated clips in the classifier's embedding space. */
  frechet: number | null;
  /** The same distance between two halves of the real windows: the scale of "as close as real audio gets". */
  frechetRealHalves: number | null;
}

export interface GeneratedEvaluation {
  checkpoint: string;
  clips: { name: string; genre: string; predicted: string; probability: number }[];
  report: ClassificationReport;
  perGenre: GenreFidelity[];
}

/**
 * Classifies generated clips (genre = their seed genre) and, given real test songs, compares the two in
 * the classifier's embedding space.
 */
export function evaluateGenerated(checkpoint: string, clips: readonly (Song & { name: string })[], realTest: readonly Song[] = []): GeneratedEvaluation {
  const { model, meta } = loadClassifier(checkpoint);
  const clipEx = examplesFor(meta, clips);
  const p = predictWindows(model, clipEx);
  const votes = songVotes(p);
  const rows = votes.map((v) => ({ name: clips[v.song].name, genre: GENRES[v.label], predicted: GENRES[v.predicted], probability: v.probs[v.predicted] }));
  const perGenre = tidy(() => {
    const genEmb = embeddings(model, clipEx);
    const realEx = examplesFor(meta, realTest);
    const realEmb = embeddings(model, realEx);
    return GENRES.flatMap((genre) => {
      const g = genreIndex(genre);
      const mine = rows.filter((r) => r.genre === genre);
      if (!mine.length) return [];
      const genIdx = clipEx.windows.flatMap((w, i) => (clips[w.song].track.label === g ? [i] : []));
      const realIdx = realEx.windows.flatMap((w, i) => (realTest[w.song].track.label === g ? [i] : []));
      const pick = (t: Tensor, idx: number[]): Tensor => t.indexSelect(0, tensorOf(idx));
      const half = Math.floor(realIdx.length / 2);
      return [{
        genre,
        clips: mine.length,
        fidelity: mine.filter((r) => r.predicted === genre).length / mine.length,
        frechet: genIdx.length >= 2 && realIdx.length >= 2 ? frechetDistance(pick(realEmb, realIdx), pick(genEmb, genIdx)) : null,
        frechetRealHalves: half >= 2 ? frechetDistance(pick(realEmb, realIdx.slice(0, half)), pick(realEmb, realIdx.slice(half))) : null,
      }];
    });
  });
  return { checkpoint, clips: rows, report: report(votes.map((v) => v.label), votes.map((v) => v.predicted), GENRES), perGenre };
}

const tensorOf = (idx: number[]): Tensor => tensor(idx, [idx.length], "int64");
