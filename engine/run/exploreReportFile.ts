/**
 * Reading back a report of `fltsim explore --json` (for `--merge`): the report is a file a user
 * handles (copied between CI jobs, possibly cut short, edited or from another tool), so every field
 * the merge and its text read is checked, and a problem is a sentence naming the field.
 */
import { STRATEGIES } from '../explore/explorer';
import type { ExploreReport } from './explore';

/**
 * The most shards one exploration may be split into: a merge lists the missing ones, so the count
 * read from a report must stay a number of CI jobs, not any integer an edit left there.
 */
export const MAX_SHARDS = 10_000;

export type ExploreReportParse = { ok: true; report: ExploreReport } | { ok: false; message: string };

const STOPS = ['exhausted', 'max-schedules', 'time-limit', 'cancelled', 'failure', 'merged'];
const WRITTEN_BY = "shard reports are written by 'fltsim explore --shard I/N --json'";

/** A count in a report (schedules, seeds, indices): past it, the sums of a merge of MAX_SHARDS reports would lose precision. */
const MAX_COUNT = 2 ** 36;

type Check = (v: unknown) => boolean;
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COUNT;
const isString: Check = (v) => typeof v === 'string';
const strings: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const orNull = (c: Check): Check => (v) => v === null || c(v);

/** The first field of `v` (an object) that fails its check, as `path: what it must be`. */
function firstBad(v: Record<string, unknown>, fields: readonly [string, Check, string][], prefix: string): string | undefined {
  for (const [name, check, what] of fields) if (!check(v[name])) return `"${prefix}${name}" must be ${what}`;
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the text of one shard report; every problem says which field and what to do. */
export function parseExploreReport(text: string): ExploreReportParse {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const cut = /end of (JSON )?input|Unterminated/i.test((e as Error).message) ? ' (it looks cut short)' : '';
    return { ok: false, message: `it is not JSON${cut}: ${(e as Error).message}; ${WRITTEN_BY}` };
  }
  if (!isObject(v) || !isObject(v.schedules) || typeof v.digest !== 'string') return { ok: false, message: `it is not a report of fltsim explore --json; ${WRITTEN_BY}` };
  const top = firstBad(v, [
    ['scenario', isString, 'a string'],
    ['title', orNull(isString), 'a string or null'],
    ['seed', count, `an integer from 0 to ${MAX_COUNT}`],
    ['strategy', (x) => (STRATEGIES as readonly unknown[]).includes(x), STRATEGIES.join(', ')],
    ['preemptions', orNull(count), `an integer from 0 to ${MAX_COUNT} or null`],
    ['reduction', (x) => x === 'partial-order' || x === 'none', '"partial-order" or "none"'],
    ['shard', (x) => x === null || (isObject(x) && Number.isSafeInteger(x.index) && Number.isSafeInteger(x.count) && (x.index as number) >= 1 && (x.index as number) <= (x.count as number) && (x.count as number) <= MAX_SHARDS), `null or {"index": I, "count": N} with 1 <= I <= N <= ${MAX_SHARDS}`],
    ['stoppedBy', (x) => STOPS.includes(x as string), STOPS.join(', ')],
    ['digest', (x) => /^[0-9a-f]{16}$/.test(x as string), '16 hexadecimal digits'],
    ['passed', (x) => typeof x === 'boolean', 'true or false'],
  ], '');
  const schedules = top ?? firstBad(v.schedules, [
    ['run', count, `an integer from 0 to ${MAX_COUNT}`],
    ['distinct', count, `an integer from 0 to ${MAX_COUNT}`],
    ['failing', count, `an integer from 0 to ${MAX_COUNT}`],
    ['abandoned', count, `an integer from 0 to ${MAX_COUNT}`],
    ['pruned', count, `an integer from 0 to ${MAX_COUNT}`],
    ['estimated', orNull(count), `an integer from 0 to ${MAX_COUNT} or null`],
    ['exhaustive', (x) => typeof x === 'boolean', 'true or false'],
  ], 'schedules.');
  const failure = schedules ?? (v.failure === null ? undefined : !isObject(v.failure) ? '"failure" must be null or an object' : firstBad(v.failure, [
    ['index', count, `an integer from 0 to ${MAX_COUNT}`],
    ['firstChange', count, `an integer from 0 to ${MAX_COUNT}`],
    ['preemptions', count, `an integer from 0 to ${MAX_COUNT}`],
    ['reasons', strings, 'a list of strings'],
    ['interleaving', strings, 'a list of strings'],
    ['replay', orNull(isString), 'a string or null'],
  ], 'failure.'));
  if (failure !== undefined) return { ok: false, message: `${failure}; ${WRITTEN_BY}` };
  return { ok: true, report: v as unknown as ExploreReport };
}
