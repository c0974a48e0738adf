// What every data set layout is discovered into: tracks with a label, and the label list.
import { existsSync } from "node:fs";
import { isDir } from "../util/fs.js";

export interface Track {
  /** Unique within the data set: GTZAN's stem ("jazz.00054"), or the path below the data folder. */
  id: string;
  /** The label's name (a genre for GTZAN, a folder name for labelled folders). */
  genre: string;
  /** Index of `genre` in the data set's label list. */
  label: number;
  /** Position within its label (GTZAN: the NN of <genre>.000NN). */
  index: number;
  path: string;
}

export type DataKind = "gtzan" | "folders" | "fma";
export type Side = "train" | "valid" | "test";

export interface Discovered {
  /** The folder the labels are found in. */
  root: string;
  kind: DataKind;
  /** Label names; a track's `label` indexes this list. */
  labels: string[];
  tracks: Track[];
  /** Folders under the root left out (no audio in them), for `prepare` to show. */
  ignored: string[];
  /** The collection's own split by track id (FMA's set.split), when it has one. */
  split?: ReadonlyMap<string, Side>;
  /** What discovery left out and why (e.g. FMA tracks without a top genre), one line each. */
  notes?: string[];
}

/** Error for a data folder the user must fix; the message names the folder. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

/** The data folder a user named: an error naming it when it is missing or not a folder. */
export function assertDataFolder(dir: string): void {
  if (!existsSync(dir)) throw new DatasetError(`${dir}: data folder not found`);
  if (!isDir(dir)) throw new DatasetError(`${dir}: not a folder`);
}

/** A label as part of a file name: slashes (FMA's "Old-Time / Historic") become "-". */
export const fileStem = (label: string): string => label.replace(/[/\\]/g, "-");

/** Songs given as label names, as indices of `labels` instead (e.g. a checkpoint's), or a clear error. */
export function labelIndex(labels: readonly string[], name: string, where: string): number {
  const i = labels.indexOf(name);
  if (i < 0) {
    const known = labels.length > 12 ? `${labels.slice(0, 12).join(", ")}, …` : labels.join(", ");
    throw new Error(`${where}: no label '${name}' (it knows ${labels.length}: ${known})`);
  }
  return i;
}
