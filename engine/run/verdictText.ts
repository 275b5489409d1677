/**
 * The verdict in words, the same for every front end: `fltsim run` prints these lines and the
 * debugger writes them to the Debug Console when a run ends, so the two never disagree.
 */
import type { ExpectationResult, ExpectationVerdict, Verdict } from '../scenario';

const MARK: Readonly<Record<ExpectationVerdict, string>> = { pass: '✓', fail: '✗', unchecked: '–' };

/** `✓ expect …`, `✗ expect … — got STATUS_SUCCESS`, `– expect … — not checked: …`. */
export function expectationLine(x: ExpectationResult): string {
  switch (x.verdict) {
    case 'pass':
      return `${MARK.pass} ${x.text}`;
    case 'fail':
      return `${MARK.fail} ${x.text}   — got ${x.actual}`;
    case 'unchecked':
      return `${MARK.unchecked} ${x.text}   — ${x.actual}`;
  }
}

/** `✗ the run ended in a deadlock: …`: how the run ended, when no expect line asked for it. */
export function problemLine(problem: string): string {
  return `${MARK.fail} ${problem}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `PASS  3 expectations hold`, or `FAIL  …` with what failed. */
export function verdictSummary(v: Pick<Verdict, 'passed' | 'expectations' | 'problems'>, violations = 0): string {
  const n = v.expectations.length;
  if (v.passed && n === 0 && violations > 0) {
    // Nothing asked about them, so they do not fail the run; the summary must not read as "all clean".
    return `PASS  no expectations to check, but ${plural(violations, 'violation')} recorded (add \`expect no violations\` to make them fail the run)`;
  }
  if (v.passed) return `PASS  ${n === 0 ? 'the run ended as expected (no expectations)' : `${plural(n, 'expectation')} hold${n === 1 ? 's' : ''}`}`;
  const failed = v.expectations.filter((x) => x.verdict === 'fail').length;
  const unchecked = v.expectations.filter((x) => x.verdict === 'unchecked').length;
  const parts: string[] = [];
  if (v.problems.length > 0) parts.push(v.problems.length === 1 ? 'the run did not end as expected' : `${v.problems.length} problems with how the run ended`);
  if (failed > 0) parts.push(`${failed} of ${plural(n, 'expectation')} failed`);
  if (unchecked > 0) parts.push(`${unchecked} not checked`);
  return `FAIL  ${parts.join(', ')}`;
}
