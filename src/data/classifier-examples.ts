// Classifier examples: fixed-length windows of each song (default 5 s, the length of a generated clip,
// so real and generated audio are judged alike) turned into log-mel spectrograms, batched and shuffled,
// with optional augmentation. Each window remembers its song for per-song voting.
import { floorDb, type MelSpectrogram } from "../audio/index.js";
import { stack, tensor, tidy, where, type Tensor } from "../torch/index.js";
import type { Song } from "./dataset.js";
import type { MelStore } from "./mel-store.js";
import { Random } from "./random.js";
import { readWindow, songLength, StoredSong } from "./stored-song.js";

export interface WindowOptions {
  sampleRate: number;
  windowSeconds: number;
  /** Step between window starts; default windowSeconds (no overlap). */
  hopSeconds?: number;
  /**
   * Cut stored songs' windows from their whole mel (see MelStore: a window starts on a frame) instead
   * of computing each window's; it must be made with the same mel and a window's length.
   */
  store?: MelStore;
}

export interface Augmentation {
  /** Random window start each epoch instead of the fixed grid. */
  randomCrop: boolean;
  /** Random gain in ±dB before the spectrogram. */
  gainDb: number;
  /** SpecAugment: number and maximum width of frequency and time masks. */
  freqMasks: number;
  freqMaskWidth: number;
  timeMasks: number;
  timeMaskWidth: number;
}
export const noAugmentation: Augmentation = {
  randomCrop: false,
  gainDb: 0,
  freqMasks: 0,
  freqMaskWidth: 0,
  timeMasks: 0,
  timeMaskWidth: 0,
};

/** What windows are cut from: a song (labelled by its track) or any audio, with a genre label or none. */
export type ExampleAudio = Song | { samples: Float32Array; label?: number };

/** The label of unlabelled audio (an upload to classify): PyTorch's ignore_index, so losses skip it. */
export const UNLABELLED = -100;

/** The genre label of a source, or UNLABELLED. */
export const labelOf = (a: ExampleAudio): number => ("track" in a ? a.track.label : (a.label ?? UNLABELLED));

export interface Window {
  song: number;
  offset: number;
}

export interface ExampleBatch {
  /** [batch, 1, nMels, frames] log-mel spectrograms. */
  x: Tensor;
  /** [batch] int64 genre labels (UNLABELLED for unlabelled audio). */
  y: Tensor;
  /** Index into the song list of each row. */
  songs: number[];
}

/** Start offsets (samples) of the windows of a song of `length` samples; a short song gives one window at 0. */
export function windowOffsets(length: number, o: WindowOptions): number[] {
  const win = Math.round(o.windowSeconds * o.sampleRate);
  const hop = Math.round((o.hopSeconds ?? o.windowSeconds) * o.sampleRate);
  if (length <= win) return [0];
  const out: number[] = [];
  for (let s = 0; s + win <= length; s += hop) out.push(s);
  return out;
}

export class ClassifierExamples {
  readonly windows: Window[];
  readonly #win: number;

  constructor(
    readonly songs: readonly ExampleAudio[],
    readonly mel: MelSpectrogram,
    readonly options: WindowOptions,
  ) {
    this.#win = Math.round(options.windowSeconds * options.sampleRate);
    if (options.store && (options.store.mel !== mel || options.store.minSamples !== this.#win)) {
      throw new Error("ClassifierExamples: the mel store was made for another mel or window length");
    }
    this.windows = songs.flatMap((s, song) =>
      windowOffsets(songLength(s), options).map((offset) => ({ song, offset })),
    );
  }

  /** [nMels, frames] of one window. */
  get inputShape(): [number, number] {
    return [this.mel.settings.nMels, this.mel.frames(this.#win)];
  }

  /**
   * Batches over all windows; shuffled with `seed` when given. Dispose each batch (or use tidy). With
   * `shard`, the windows are cut into global batches of `size` × `batchSize` and this rank gets its
   * `batchSize` of each (every rank shuffles alike), as one process with the global batch would see.
   */
  *batches(
    batchSize: number,
    o: { seed?: number; augment?: Augmentation; shard?: { rank: number; size: number } } = {},
  ): Generator<ExampleBatch> {
    const rng = o.seed === undefined ? undefined : new Random(o.seed);
    const order = rng ? rng.shuffle(this.windows) : this.windows;
    const aug = o.augment ?? noAugmentation;
    const { rank, size } = o.shard ?? { rank: 0, size: 1 };
    for (let i = 0; i < order.length; i += batchSize * size) {
      const global = order.slice(i, i + batchSize * size);
      // The last global batch may be short: split it as evenly as its rows allow.
      const per = Math.ceil(global.length / size);
      const from = Math.min(rank * per, global.length - 1);
      // Every rank must step as often as the others: one left without rows repeats the batch's last window.
      const to = Math.max(Math.min((rank + 1) * per, global.length), from + 1);
      yield tidy(() => this.#batch(global, from, to, aug, rng));
    }
  }

  /**
   * Rows `from`..`to` of the batch `global`. Its random crops, gains and masks are drawn for every row, in
   * one process's order, so each rank's rows are augmented as one process with the whole batch would.
   */
  #batch(global: Window[], from: number, to: number, aug: Augmentation, rng: Random | undefined): ExampleBatch {
    const r = rng ?? new Random(0);
    const rows = global.flatMap(({ song, offset }, i) => {
      const s = this.songs[song]!;
      const start = aug.randomCrop ? r.int(0, Math.max(0, songLength(s) - this.#win)) : offset;
      const gainDb = aug.gainDb ? r.range(-aug.gainDb, aug.gainDb) : 0;
      return i < from || i >= to ? [] : [{ s, start, gainDb }];
    });
    const store = this.options.store;
    let x: Tensor;
    if (store && rows.every(({ s }) => s instanceof StoredSong)) {
      // A gain scales the power by its square: in dB it is a shift, after the floor as before it.
      const [, frames] = this.inputShape;
      const mels = rows.map(({ s, start }) => {
        const first = Math.min(Math.round(start / this.mel.settings.hopLength), store.frames(s as StoredSong) - frames);
        return store.window(s as StoredSong, first, frames);
      });
      x = floorDb(stack(mels), this.mel.settings.topDb);
      if (aug.gainDb)
        x = x.add(
          tensor(
            rows.map((w) => w.gainDb),
            [rows.length, 1, 1],
          ),
        );
    } else {
      x = this.mel.forward(
        stack(
          rows.map(({ s, start, gainDb }) => {
            const w = tensor(readWindow(s, start, this.#win));
            return gainDb ? w.mul(10 ** (gainDb / 20)) : w;
          }),
        ),
      );
    }
    if (aug.freqMasks || aug.timeMasks) x = specAugment(x, aug, r, from, global.length);
    const part = global.slice(from, to);
    return {
      x: x.unsqueeze(1),
      y: tensor(
        part.map(({ song }) => labelOf(this.songs[song]!)),
        [part.length],
        "int64",
      ),
      songs: part.map(({ song }) => song),
    };
  }
}

/**
 * SpecAugment masks: random bands of mel bins and frames set to each item's minimum. `x` holds rows
 * `first`.. of a batch of `total`: the masks of every row are drawn, in order, and those of `x`'s applied.
 */
function specAugment(x: Tensor, aug: Augmentation, r: Random, first = 0, total = x.size(0)): Tensor {
  const [b, mels, frames] = x.shape as [number, number, number];
  const mask = new Uint8Array(b * mels * frames);
  for (let item = 0; item < total; item++) {
    const i = item - first;
    const mine = i >= 0 && i < b;
    for (let m = 0; m < aug.freqMasks; m++) {
      const w = r.int(0, aug.freqMaskWidth);
      const f0 = r.int(0, Math.max(0, mels - w));
      if (mine) for (let f = f0; f < f0 + w; f++) mask.fill(1, (i * mels + f) * frames, (i * mels + f + 1) * frames);
    }
    for (let m = 0; m < aug.timeMasks; m++) {
      const w = r.int(0, aug.timeMaskWidth);
      const t0 = r.int(0, Math.max(0, frames - w));
      if (mine)
        for (let f = 0; f < mels; f++) mask.fill(1, (i * mels + f) * frames + t0, (i * mels + f) * frames + t0 + w);
    }
  }
  return where(tensor(mask, x.shape, "bool"), x.amin([1, 2], true).expand(x.shape), x);
}
