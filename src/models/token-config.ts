// The spectral-token generator's settings, as its checkpoints store them (absent keys: older checkpoints).

export interface TokenGeneratorConfig {
  kind: "tokens";
  /** Seed samples (0.9 s at 10 kHz, as the study's generator). */
  inputSamples: number;
  nFft: number;
  hopLength: number;
  /** Number of tokens (k-means centroids). */
  codebook: number;
  /**
   * Mel bands of the space tokens are found in: frames are compared by their log-mel spectra, so that
   * distance weighs frequencies as hearing does (absent or 0: by their log-magnitude bins, older checkpoints).
   */
  melBands?: number;
  hiddenSize: number;
  numLayers: number;
  /** Dropout between the recurrent layers in training (absent in older checkpoints: 0). */
  dropout?: number;
  genres: number;
  griffinLimIterations: number;
  /**
   * Tokens of a second, residual stage (absent or 0: one stage): each frame is also tokenized by what
   * its first token leaves of its log-magnitude, and the model draws that token given the first, as
   * residual vector quantisers' stages are modelled (SoundStream, EnCodec).
   */
  residualCodebook?: number;
  /**
   * The genre table has one more row, "no genre", which training gives a share of its crops, so the model
   * also predicts without a genre (classifier-free guidance, Ho & Salimans 2022; MusicGen).
   */
  nullGenre?: boolean;
  /**
   * Classifier-free guidance when drawing (needs nullGenre; absent or 1: none): logits without the genre
   * plus this times (logits with it − logits without), which weighs what the genre adds.
   */
  guidance?: number;
  /** Nucleus sampling: draw each token from the most likely ones holding this much probability (absent: 1, all). */
  topP?: number;
  /**
   * Heads of a causal self-attention layer over the recurrent output (absent or 0: none), which lets a frame
   * look back to any of the last `attentionWindow` frames by how far back they are — a beat ago, a bar ago —
   * where a recurrent state has to count frames (docs/GENERATOR.md, item 20).
   */
  attentionHeads?: number;
  /** Frames each position attends to, itself included (the training crop's length). */
  attentionWindow?: number;
  /** The model is told where each frame falls in the beat (models/beat-clock.ts; absent: no). */
  beatClock?: boolean;
  /**
   * Beat guidance when drawing (needs beatClock, not with `guidance`; absent or 1: none): logits with the clock
   * plus this times (logits with it − logits with the clock half a beat late), which weighs what the model
   * draws on the beat against what it draws off it (docs/GENERATOR.md, item 21).
   */
  beatGuidance?: number;
  /** The temperature it samples at unless told otherwise (absent: models/generate.ts's TOKEN_TEMPERATURE). */
  temperature?: number;
}

export const isTokenConfig = (c: object): c is TokenGeneratorConfig => "kind" in c && c.kind === "tokens";
