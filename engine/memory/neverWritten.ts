/**
 * The words for a read that met never-written bytes. A read of a partly written block (a message
 * whose header was filled and whose tail was not) names the runs nothing wrote, so the message
 * does not claim the whole read was uninitialised.
 */
import type { ByteRun } from './allocation';

/** Runs listed before the rest are summed up. */
const LISTED_RUNS = 4;

/**
 * The tail of an uninitialised-read message for a read of `size` bytes whose never-written runs
 * are `gaps`; `member` names the field at an offset when the block's type is known.
 */
export function neverWritten(size: number, gaps: readonly ByteRun[], member?: (offset: number) => string): string {
  const unwritten = gaps.reduce((n, g) => n + g.size, 0);
  if (unwritten >= size) return ' before anything was written there';
  const runs = gaps.slice(0, LISTED_RUNS).map((g) => {
    const span = g.size === 1 ? `${g.offset}` : `${g.offset}–${g.offset + g.size - 1}`;
    const name = member?.(g.offset) ?? '';
    return name ? `${span} (${name})` : span;
  });
  if (gaps.length > LISTED_RUNS) runs.push(`and ${gaps.length - LISTED_RUNS} more run${gaps.length - LISTED_RUNS === 1 ? '' : 's'}`);
  return `: ${unwritten} of them ${unwritten === 1 ? 'was' : 'were'} never written (offset${gaps.length === 1 && gaps[0]!.size === 1 ? '' : 's'} ${runs.join(', ')})`;
}
