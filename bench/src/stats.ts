/** Median and spread of a set of run samples (one number per run). */
export interface Summary {
  /** number of runs */
  n: number;
  median: number;
  min: number;
  max: number;
  /** (max − min) / median, in percent: the spread between the slowest and the fastest run */
  spreadPct: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  const m = median(samples);
  const min = samples.length ? Math.min(...samples) : Number.NaN;
  const max = samples.length ? Math.max(...samples) : Number.NaN;
  return { n: samples.length, median: m, min, max, spreadPct: m === 0 ? 0 : ((max - min) / Math.abs(m)) * 100 };
}
