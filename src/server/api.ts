// The dashboard's JSON API: what the server sends and takes. web/src/api.ts imports these types (types
// only, so the front end bundles no server code); the server's handlers are typed by them, so the
// compiler checks both ends against one definition.

export type RunStatus = "running" | "done" | "stopped";

export interface RunListing {
  name: string;
  data: string | null;
  date: string;
  status: RunStatus;
  testAccuracy: number | null;
  fidelity: number | null;
}

/** A generated clip of a run; paths are relative to the run folder. */
export interface RunClip {
  name: string;
  genre: string;
  wav: string;
  seed: string;
  real: string | null;
  predicted: string | null;
}

export interface RunDetails extends RunListing {
  config: unknown;
  /** Each metrics file's rows (epoch, losses, accuracies …). */
  metrics: Record<string, Record<string, unknown>[]>;
  /** Each metrics file's step losses (metrics/steps/), by the same name. */
  steps: Record<string, StepRow[]>;
  confusion: Record<string, number[][]>;
  /** The classifier's label names: the rows and columns of every confusion matrix. */
  labels: string[];
  clips: RunClip[];
  figures: string[];
  report: string | null;
  /** Files worth downloading (checkpoints, metrics, evaluations, summary), relative to the run folder. */
  downloads: string[];
  /** Where a running run is (stage, steps, ETA); null when it is not running. */
  progress: RunProgress | null;
}

export interface CheckpointListing {
  kind: "classifier" | "generator";
  run: string;
  path: string;
  /** A generator's training genre ("all" for a conditioned model); null for a classifier. */
  genre: string | null;
  /** The labels the checkpoint knows (its classes, or the genres a conditioned generator can write). */
  genres: string[];
  /** A generator's default sampling temperature; null when it draws nothing (a classifier, an MSE model). */
  temperature: number | null;
}

export type { Classification, ClassifiedFile } from "../eval/classification.js";
import type { RunProgress } from "../pipeline/run-progress.js";
import type { StepRow } from "../util/step-row.js";
export type { RunProgress, StepRow };

/** POST /api/generate's body (`seconds` and `seed` have defaults on the server). */
export interface GenerateBody {
  run: string;
  checkpoint: string;
  genre: string;
  seconds?: number;
  temperature?: number;
  seed?: number;
  /** A held-out song's id (GET /api/runs/:name/seeds) and where in it the seed starts, seconds. */
  seedSong?: string;
  offset?: number;
}

/** A clip generated from the dashboard (GET /api/runs/:name/served, newest first); paths relative to the run. */
export interface ServedClip extends GeneratedClipUrls {
  created: string;
}

/** What POST /api/generate answers: file URLs of the clip, its seed and the seed's real continuation. */
export interface GeneratedClipUrls {
  genre: string;
  wav: string;
  seed: string;
  real: string | null;
  seedFile: string;
  seedOffsetSeconds: number;
}
