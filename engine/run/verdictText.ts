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

/**
 * `PASS  3 expectations hold`, or `FAIL  …` with what failed. Violations no expect line is about
 * (`unasked`): errors fail the run and are named here, warnings are counted on a PASS.
 */
export function verdictSummary(v: Pick<Verdict, 'passed' | 'expectations' | 'problems' | 'unasked'>): string {
  const n = v.expectations.length;
  const { errors, warnings, first } = v.unasked;
  if (v.passed) {
    const base = n === 0 ? 'the run ended as expected (no expectations)' : `${plural(n, 'expectation')} hold${n === 1 ? 's' : ''}`;
    return `PASS  ${base}${warnings > 0 ? `; ${plural(warnings, 'warning')} recorded` : ''}`;
  }
  const failed = v.expectations.filter((x) => x.verdict === 'fail').length;
  const unchecked = v.expectations.filter((x) => x.verdict === 'unchecked').length;
  // One of the problems is the unasked errors' own sentence: it is named by count below instead.
  const endings = v.problems.length - (errors > 0 ? 1 : 0);
  const parts: string[] = [];
  if (errors > 0) parts.push(`${plural(errors, 'violation')} of error severity, the first ${first}`);
  if (endings > 0) parts.push(endings === 1 ? 'the run did not end as expected' : `${endings} problems with how the run ended`);
  if (failed > 0) parts.push(`${failed} of ${plural(n, 'expectation')} failed`);
  if (unchecked > 0) parts.push(`${unchecked} not checked`);
  if (warnings > 0) parts.push(`${plural(warnings, 'warning')}`);
  return `FAIL  ${parts.join(', ')}`;
}
