// Classification metrics: accuracy, confusion matrix (rows = true class), per-class precision/recall/F1.

export interface ClassMetrics {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  count: number;
  accuracy: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  perClass: ClassMetrics[];
}

export function confusionMatrix(truth: readonly number[], pred: readonly number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => m[t]![pred[i]!]!++);
  return m;
}

export function report(
  truth: readonly number[],
  pred: readonly number[],
  names: readonly string[],
): ClassificationReport {
  if (truth.length !== pred.length) throw new Error(`report: ${truth.length} labels but ${pred.length} predictions`);
  const confusion = confusionMatrix(truth, pred, names.length);
  const correct = confusion.reduce((s, row, i) => s + row[i]!, 0);
  const perClass = names.map((name, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { name, precision, recall, f1, support };
  });
  return { count: truth.length, accuracy: truth.length ? correct / truth.length : 0, confusion, perClass };
}
