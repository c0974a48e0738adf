// Where a running run is: what pipeline/progress-file.ts writes and the dashboard's API sends. No
// imports, so the browser code can take the type too.

export interface RunProgress {
  stage: string;
  done: number;
  total: number;
  note: string | null;
  /** Seconds left in the stage at the rate so far (null until there is a rate). */
  etaSeconds: number | null;
  /** ISO time of the update. */
  updated: string;
}
