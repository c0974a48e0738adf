// What classifying one piece of audio answers (eval/evaluate.ts makes it; the dashboard's API sends
// it). No imports: the dashboard's front end reads this type too (server/api.ts).

export interface Classification {
  genre: string;
  probability: number;
  /** Every genre, most likely first (mean of the windows' probabilities). */
  probabilities: { genre: string; probability: number }[];
  windows: { startSeconds: number; genre: string; probability: number }[];
  seconds: number;
}

/**
 * A file's classification, as `genrelab classify --json` lists them and POST /api/classify answers (the
 * upload's name).
 */
export type ClassifiedFile = { file: string } & Classification;
