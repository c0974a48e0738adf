// Judging audio with a trained classifier: real songs (window and song level) and generated clips
// (each clip one window, as long as the classifier's window), genre fidelity and Fréchet distances.
import { MelSpectrogram } from "../audio/index.js";
import { ClassifierExamples, labelIndex, labelOf, relabel, type ExampleAudio, type Song } from "../data/index.js";
import { continuationStats, type ContinuationStats } from "./audio-stats.js";
import { copyScores, repetitionScores } from "./copy-check.js";
import { frechetDistance } from "./frechet.js";
import type { Classification } from "./classification.js";
import { report, type ClassificationReport } from "./metrics.js";
import { predictWindows, songVotes, windowClasses } from "./predict.js";
import type { Classifier } from "../models/classifier.js";
import { median } from "../util/stats.js";
import { cat, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";
import { loadClassifier, type ClassifierInfo } from "../models/load.js";

export interface SongEvaluation {
  checkpoint: string;
  window: ClassificationReport;
  song: ClassificationReport;
  songs: { id: string; label: string; predicted: string; probability: number }[];
}

function examplesFor(meta: ClassifierInfo, songs: readonly ExampleAudio[]): ClassifierExamples {
  return new ClassifierExamples(songs, new MelSpectrogram(meta.mel), {
    sampleRate: meta.sampleRate,
    windowSeconds: meta.windowSeconds,
  });
}

/** Window- and song-level reports of a checkpoint on labelled songs (labels matched to the checkpoint's by name). */
export function evaluateSongs(checkpoint: string, songs: readonly Song[]): SongEvaluation {
  const { model, meta } = loadClassifier(checkpoint);
  const labels = meta.genres;
  const p = predictWindows(model, examplesFor(meta, relabel(songs, labels, checkpoint)));
  const votes = songVotes(p);
  return {
    checkpoint,
    window: report(p.labels, windowClasses(p), labels),
    song: report(
      votes.map((v) => v.label),
      votes.map((v) => v.predicted),
      labels,
    ),
    songs: votes.map((v) => ({
      id: songs[v.song]!.track.id,
      label: labels[v.label]!,
      predicted: labels[v.predicted]!,
      probability: v.probs[v.predicted]!,
    })),
  };
}

export type { Classification };

/** Names the genre of one unlabelled signal by voting over its windows. */
export function classifySamples(
  model: Classifier,
  meta: ClassifierInfo,
  mel: MelSpectrogram,
  samples: Float32Array,
): Classification {
  const ex = new ClassifierExamples([{ samples }], mel, {
    sampleRate: meta.sampleRate,
    windowSeconds: meta.windowSeconds,
  });
  const p = predictWindows(model, ex);
  const vote = songVotes(p)[0]!; // one song
  const probabilities = vote.probs
    .map((probability, i) => ({ genre: meta.genres[i]!, probability }))
    .sort((a, b) => b.probability - a.probability);
  const windows = windowClasses(p).map((c, i) => ({
    startSeconds: ex.windows[i]!.offset / meta.sampleRate,
    genre: meta.genres[c]!,
    probability: p.probs[i * p.classes + c]!,
  }));
  return {
    genre: probabilities[0]!.genre,
    probability: probabilities[0]!.probability,
    probabilities,
    windows,
    seconds: samples.length / meta.sampleRate,
  };
}

/** Classifier embeddings of every window of `songs` ([windows, d]). */
function embeddings(model: Classifier, ex: ClassifierExamples): Tensor {
  return noGrad(() =>
    tidy(() => {
      model.eval();
      const parts: Tensor[] = [];
      for (const b of ex.batches(64)) parts.push(model.embed(b.x));
      return cat(parts);
    }),
  );
}

export interface GenreFidelity {
  genre: string;
  clips: number;
  /** Share of generated clips the classifier assigns to their seed genre. */
  fidelity: number;
  /** The same share for the real continuations of the same seeds: what real audio scores here. */
  fidelityReal: number | null;
  /** Fréchet distance between real test windows and generated clips in the classifier's embedding space. */
  frechet: number | null;
  /**
   * The same distance from the same real test windows to the real continuations of the same seeds (as
   * many as there are generated clips): the scale of "as close as real audio gets".
   */
  frechetReal: number | null;
  /**
   * Median over clips of the best normalised cross-correlation of an excerpt with the genre's training
   * songs: for generated clips, and for the real continuations (held-out audio: what "not copied" scores).
   */
  copyGenerated: number | null;
  copyReal: number | null;
  /**
   * Median over clips of how much the clip's end repeats its seed and earlier audio; the same for the real
   * continuations.
   */
  repetitionGenerated: number | null;
  repetitionReal: number | null;
}

export interface GeneratedEvaluation {
  checkpoint: string;
  clips: { name: string; genre: string; predicted: string; probability: number; realPredicted: string | null }[];
  report: ClassificationReport;
  /** The classifier on the real continuations of the same seeds (null when no clip has one). */
  realReport: ClassificationReport | null;
  perGenre: GenreFidelity[];
  /** Per-second loudness and spectral flux of generated clips beside their real continuations. */
  continuation: ContinuationStats | null;
}

/** A generated clip: its name, samples and seed genre, the real continuation and the seed when known. */
export interface GeneratedAudio {
  name: string;
  samples: Float32Array;
  genre: string;
  real: Float32Array | null;
  seed: Float32Array | null;
}

/**
 * Classifies generated clips (genre = their seed genre) and the real continuations of their seeds, and,
 * given real test songs, compares both with them in the classifier's embedding space; given training
 * songs, checks that no clip copies them.
 */
export function evaluateGenerated(
  checkpoint: string,
  audio: readonly GeneratedAudio[],
  test: readonly Song[] = [],
  trainSongs: readonly Song[] = [],
): GeneratedEvaluation {
  const { model, meta } = loadClassifier(checkpoint);
  const labels = meta.genres;
  const clips = audio.map((c) => ({ ...c, label: labelIndex(labels, c.genre, checkpoint) }));
  const realTest = relabel(test, labels, checkpoint);
  const train = relabel(trainSongs, labels, checkpoint);
  const clipEx = examplesFor(meta, clips);
  const votes = songVotes(predictWindows(model, clipEx));
  const withReal = clips.filter((c) => c.real && c.real.length === c.samples.length);
  const realSongs = withReal.map((c) => ({ label: c.label, samples: c.real! }));
  const realEx = examplesFor(meta, realSongs);
  const realVotes = withReal.length ? songVotes(predictWindows(model, realEx)) : [];
  const realPredicted = new Map(realVotes.map((v) => [withReal[v.song]!.name, labels[v.predicted]]));
  const rows = votes.map((v) => ({
    name: clips[v.song]!.name,
    genre: labels[v.label]!,
    predicted: labels[v.predicted]!,
    probability: v.probs[v.predicted]!,
    realPredicted: realPredicted.get(clips[v.song]!.name) ?? null,
  }));
  const perGenre = tidy(() => {
    const genEmb = embeddings(model, clipEx);
    const contEmb = withReal.length ? embeddings(model, realEx) : null;
    const testEx = examplesFor(meta, realTest);
    const testEmb = realTest.length ? embeddings(model, testEx) : null;
    return labels.flatMap((genre, g) => {
      const mine = rows.filter((r) => r.genre === genre);
      if (!mine.length) return [];
      const ofGenre = (ex: ClassifierExamples) =>
        ex.windows.flatMap((w, i) => (labelOf(ex.songs[w.song]!) === g ? [i] : []));
      const genIdx = ofGenre(clipEx);
      const contIdx = ofGenre(realEx);
      const testIdx = ofGenre(testEx);
      const pick = (t: Tensor, idx: number[]): Tensor => t.indexSelect(0, tensorOf(idx));
      const fd = (emb: Tensor | null, idx: number[]) =>
        emb && testEmb && idx.length >= 2 && testIdx.length >= 2
          ? frechetDistance(pick(testEmb, testIdx), pick(emb, idx))
          : null;
      const judged = mine.filter((r) => r.realPredicted !== null);
      const ofClips = clips.filter((c) => c.label === g);
      const withSeed = ofClips.filter((c) => c.seed);
      const repeats = repetitionScores(withSeed.map((c) => ({ seed: c.seed!, generated: c.samples, real: c.real })));
      const copies = copyScores(
        ofClips.map((c) => ({ generated: c.samples, real: c.real })),
        train.filter((t) => t.track.label === g).map((t) => t.samples),
      );
      return [
        {
          genre,
          clips: mine.length,
          fidelity: mine.filter((r) => r.predicted === genre).length / mine.length,
          fidelityReal: judged.length ? judged.filter((r) => r.realPredicted === genre).length / judged.length : null,
          frechet: fd(genEmb, genIdx),
          frechetReal: fd(contEmb, contIdx),
          copyGenerated: orNull(median(copies.generated)),
          copyReal: orNull(median(copies.real.filter((x): x is number => x !== null))),
          repetitionGenerated: orNull(median(repeats.generated)),
          repetitionReal: orNull(median(repeats.real.filter((x): x is number => x !== null))),
        },
      ];
    });
  });
  return {
    checkpoint,
    clips: rows,
    perGenre,
    report: report(
      votes.map((v) => v.label),
      votes.map((v) => v.predicted),
      labels,
    ),
    realReport: realVotes.length
      ? report(
          realVotes.map((v) => v.label),
          realVotes.map((v) => v.predicted),
          labels,
        )
      : null,
    continuation: continuationStats(
      withReal.map((c) => ({ generated: c.samples, real: c.real! })),
      meta.sampleRate,
    ),
  };
}

const tensorOf = (idx: number[]): Tensor => tensor(idx, [idx.length], "int64");
const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
