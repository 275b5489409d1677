/**
 * "Did you mean" for misspelt words. Swapped neighbours count as one edit (`raed` is one step from
 * `read`), and the allowed distance grows with the word so long names like `STATUS_CANCELED` still
 * find their match while short words do not suggest something unrelated.
 */

/** Edit distance where inserting, deleting, substituting or swapping two neighbours costs 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) rows[i].push(i === 0 ? j : 0);
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

function allowedDistance(length: number): number {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/**
 * The closest candidate, compared without regard to case, or undefined when nothing is close
 * enough to be a plausible typo. Ties go to the earlier candidate, so tables list common words first.
 * A word of four letters or more that begins exactly one candidate is taken as that candidate cut
 * short (`null-deref` for `null-dereference`).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = allowedDistance(w.length) + 1;
  const prefixed: string[] = [];
  for (const c of candidates) {
    const lower = c.toLowerCase();
    const d = editDistance(w, lower);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
    if (w.length >= 4 && lower.startsWith(w)) prefixed.push(c);
  }
  return best ?? (prefixed.length === 1 ? prefixed[0] : undefined);
}

/** ` — did you mean 'x'?` or nothing, ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates);
  return near === undefined ? '' : ` — did you mean '${near}'?`;
}
