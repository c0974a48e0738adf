// One training step's loss: what train/metrics-log.ts writes to metrics/steps/*.jsonl, and what the report
// and the dashboard draw. No imports: the dashboard's front end reads this type too.
export interface StepRow {
  epoch: number;
  step: number;
  loss: number;
}
