/** Binary-classification metrics over scores, shared by the guardrail evaluations. */

/** One scored row: `flagged` is the decision at the operating threshold of the model that scored it. */
export interface ScoredRow {
  isAttack: boolean;
  score: number;
  flagged: boolean;
}

export function rate(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

export function truePositiveRate(rows: readonly ScoredRow[]): number {
  const positives = rows.filter((row) => row.isAttack);
  return rate(positives.filter((row) => row.flagged).length, positives.length);
}

export function falsePositiveRate(rows: readonly ScoredRow[]): number {
  const negatives = rows.filter((row) => !row.isAttack);
  return rate(negatives.filter((row) => row.flagged).length, negatives.length);
}

export function balancedAccuracy(rows: readonly ScoredRow[]): number {
  return (truePositiveRate(rows) + (1 - falsePositiveRate(rows))) / 2;
}

/** ROC AUC by the rank-sum (Mann-Whitney) formula; ties count one half. */
export function areaUnderCurve(rows: readonly ScoredRow[]): number {
  const sorted = rows.slice().sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && sorted[end].score === sorted[start].score) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let index = start; index < end; index += 1) {
      if (sorted[index].isAttack) {
        rankSum += averageRank;
        positives += 1;
      }
    }
    start = end;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The best TPR reachable with FPR <= `maxFalsePositiveRate` when the threshold is read off these very
 * rows (an ROC point, i.e. an oracle threshold): reported next to, never instead of, the fixed threshold.
 */
export function rocTruePositiveRateAt(rows: readonly ScoredRow[], maxFalsePositiveRate: number): number {
  const negatives = rows.filter((row) => !row.isAttack).map((row) => row.score).sort((a, b) => b - a);
  const positives = rows.filter((row) => row.isAttack).map((row) => row.score);
  const allowed = Math.floor(maxFalsePositiveRate * negatives.length);
  const threshold = allowed >= negatives.length ? -Infinity : negatives[allowed];
  return rate(positives.filter((score) => score > threshold).length, positives.length);
}

/** p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
