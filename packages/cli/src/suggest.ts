/** "Did you mean …?" for mistyped protocol, message and command names. */

/** Levenshtein distance, case-insensitive: `paymentrequest` is 0 away from `PaymentRequest`. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] as number) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[right.length] as number;
}

/**
 * The candidate `input` most likely meant: the only one it is a prefix of (`stripe` →
 * `stripe-terminal`), else the closest by edit distance when that is a typo's distance (at
 * most a third of the input's length, at least 2 edits), ties broken by list order.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const prefixed = candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower));
  if (lower.length >= 3 && prefixed.length === 1) return prefixed[0];
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
