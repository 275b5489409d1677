/**
 * Judges a finished run against its scenario, in one place for every front end (`fltsim run`, its
 * JSON, the debugger's end-of-run output). Pure: the run hands over its facts, and each expectation
 * gets a verdict plus a plain description of what was seen, which the CLI prints after ✓/✗ and
 * `--json` reports as `actual`.
 *
 * The verdict cannot be better than the run: an expectation about a request holds only if the
 * request got there; a DriverEntry that failed, a deadlock, work left hanging (a request nothing
 * completed, engine/fltmgr/hanging.ts) and a run stopped before its end fail the run unless an
 * `expect load`, `expect deadlock`, `expect #N pending` / `expect hanging` or `expect stop` line asks
 * for exactly that; and
 * after an unexpected stop no expectation is checked at all, since the end they describe never came.
 * Violations are the business of the expect lines about them (`expect violation R`, `expect no
 * violation R`, `expect no violations`); a scenario with none of those fails on any violation of
 * error severity (a run must not say PASS over a bug it found), and counts warning-severity ones.
 */
import { formatStatus, ntSuccess, toStatus } from '../kernel/status';
import type { ExpectStatement, Scenario, ScenarioDiagnostic } from './ast';
import { didYouMean } from './suggest';
import { describeValue, encodeValue, sameValue } from '../kernel/registryTree';
import type { HangingWork } from '../fltmgr/hanging';
import type { Severity } from '../kernel/rules';

export interface IoFact {
  id: number;
  /** Where the request stands when the run ends (`done` once it completed); `not issued` if it never started. */
  state: string;
  /** Its final status: only for a request that completed (state `done`). */
  status: number | null;
}

/** A violation the run recorded, as the verdict needs it. */
export interface ViolationFact {
  rule: string;
  /** Absent: counted as an error. */
  severity?: Severity;
  message?: string;
  /** The driver line where it happened, when it happened in C. */
  location?: { file: string; line: number };
}

/** A thread that can never run again, and what it waits for. */
export interface BlockedThread {
  thread: string;
  waitingFor: string;
}

/** How the run ended. */
export type RunEnd =
  /** Nothing was left to run and no thread was left waiting. */
  | { kind: 'finished' }
  /** Nothing could run any more, but threads were left waiting forever. */
  | { kind: 'deadlock'; blocked: readonly BlockedThread[] }
  /** Driver code failed or a limit ran out before the end; `reason` is the C error's kind. */
  | { kind: 'stopped'; reason: string; message: string };

export interface RunFacts {
  ios: readonly IoFact[];
  /** DriverEntry's result per driver, in load order; null when it never returned. */
  loads: readonly { module: string; status: number | null }[];
  end: RunEnd;
  violations: readonly ViolationFact[];
  /** Keyed `module!Function`. */
  calls: ReadonlyMap<string, number>;
  modules: readonly string[];
  /** Work nothing finished by the end (requests, filter I/O, work items); absent for a run that did not reach its end. */
  hanging?: readonly HangingWork[];
  /** Captured DbgPrint/KdPrint lines; only `expect output` reads them. */
  output?: readonly string[];
  /** How each `open-process` line ended (the access granted), by id. */
  opens?: ReadonlyMap<number, { granted: number; status: number }>;
  /** How each `registry #N` operation ended, by id. */
  registryOps?: ReadonlyMap<number, { status: number }>;
  /** What each `expect registry` line asks about, keyed by registryFactKey. */
  registry?: ReadonlyMap<string, RegistryFact>;
  /** The scenario processes' states at the end, by lowercase name, with the status that denied a start. */
  processes?: ReadonlyMap<string, { state: string; denied?: number }>;
}

/** A key (`exists`) or value (its type and bytes) at the end of the run, or `absent`. */
export type RegistryFact = 'exists' | 'absent' | { type: number; data: Uint8Array };

export function registryFactKey(key: string, name: string | undefined): string {
  return `${key.replace(/\\$/, '').toLowerCase()}|${name === undefined ? '' : `"${name.toLowerCase()}"`}`;
}

/** `unchecked`: the run stopped before the end the expectation is about, so it says nothing. */
export type ExpectationVerdict = 'pass' | 'fail' | 'unchecked';

export interface ExpectationResult {
  line: number;
  /** The expectation's source line without its comment, trimmed. */
  text: string;
  verdict: ExpectationVerdict;
  /** `verdict === 'pass'`. */
  passed: boolean;
  /** What the run showed, in words: `STATUS_CANCELLED`, `2 calls`, `violations: assert`. */
  actual: string;
}

export interface Verdict {
  passed: boolean;
  expectations: ExpectationResult[];
  /**
   * How the run ended, where no expect line asked for it: a DriverEntry that failed, a deadlock, a
   * stop before the end. Each is a sentence; any of them fails the run.
   */
  problems: string[];
  /** The work left hanging that no expect line accepts (each also one of `problems`). */
  unexpectedHanging: HangingWork[];
  /**
   * Violations when no expect line is about violations: errors fail the run (one of `problems`
   * says so), warnings do not; `first` names the first error as `rule at file:line`. All zero when
   * some expect line is about violations.
   */
  unasked: UnaskedViolations;
}

export interface UnaskedViolations {
  errors: number;
  warnings: number;
  first: string | null;
}

const NONE_UNASKED: UnaskedViolations = { errors: 0, warnings: 0, first: null };

const NOT_CHECKED = 'not checked: the run stopped before its end';

/** `relativize` rewrites the driver file names the verdict's sentences show. */
export function judgeRun(scenario: Scenario, facts: RunFacts, relativize: (file: string) => string = (f) => f): Verdict {
  const problems: string[] = [];
  const end = facts.end;
  const expects = scenario.expectations;
  if (end.kind === 'stopped' && !expects.some((e) => e.what === 'stop' && (e.reason === undefined || e.reason === end.reason))) {
    problems.push(`the run stopped before its end (${end.reason}): ${end.message}`);
    // Only the stop expectations can be judged: they are about the stop itself.
    const expectations = expects.map((e) => e.what === 'stop' ? result(e, judge(e, facts)) : { line: e.line, text: e.text, verdict: 'unchecked' as const, passed: false, actual: NOT_CHECKED });
    return { passed: false, expectations, problems, unexpectedHanging: [], unasked: NONE_UNASKED };
  }
  if (end.kind === 'deadlock' && !expects.some((e) => e.what === 'deadlock' || (e.what === 'violation' && e.rule === 'deadlock'))) {
    problems.push(`the run ended in a deadlock: ${blockedSummary(end.blocked)}`);
  }
  const unexpectedHanging = (facts.hanging ?? []).filter((h) => !hangingExpected(h, expects));
  for (const h of unexpectedHanging) problems.push(hangingProblem(h));
  for (const load of facts.loads) {
    if (load.status === null || ntSuccess(load.status)) continue;
    if (expects.some((e) => e.what === 'load' && (e.module === undefined || e.module.toLowerCase() === load.module.toLowerCase()))) continue;
    const status = formatStatus(load.status);
    problems.push(`DriverEntry of ${load.module} returned ${status}, so the driver never loaded and the I/O went past it (write 'expect load ${status}' if the scenario tests that failure)`);
  }
  const unasked = unaskedViolations(expects, facts.violations, relativize);
  if (unasked.problem !== null) problems.push(unasked.problem);
  const expectations = expects.map((e) => result(e, judge(e, facts)));
  return { passed: problems.length === 0 && expectations.every((x) => x.passed), expectations, problems, unexpectedHanging, unasked: unasked.counts };
}

/** Expect lines that are about violations: with one of them, violations are theirs to judge. */
function asksAboutViolations(e: ExpectStatement): boolean {
  return e.what === 'violation' || e.what === 'no-violation' || e.what === 'no-violations';
}

/**
 * The violations no expect line is about, and the problem their errors make. A deadlock is not
 * counted: how the run ended judges it (a problem of its own, or what `expect deadlock` asks for).
 */
function unaskedViolations(expects: readonly ExpectStatement[], violations: readonly ViolationFact[], relativize: (file: string) => string): { counts: UnaskedViolations; problem: string | null } {
  if (expects.some(asksAboutViolations)) return { counts: NONE_UNASKED, problem: null };
  const counted = violations.filter((v) => v.rule !== 'deadlock');
  const errors = counted.filter((v) => v.severity !== 'warning');
  const warnings = counted.length - errors.length;
  const v = errors[0];
  if (v === undefined) return { counts: { errors: 0, warnings, first: null }, problem: null };
  const first = `${v.rule}${v.location ? ` at ${relativize(v.location.file)}:${v.location.line}` : ''}`;
  const n = errors.length === 1 ? 'a violation of error severity' : `${errors.length} violations of error severity`;
  const problem = `the run recorded ${n} and no expect line is about violations; the first: ${first}${v.message ? `: ${v.message}` : ''} (fix the driver, or write 'expect violation ${v.rule}' if the scenario demonstrates it)`;
  return { counts: { errors: errors.length, warnings, first }, problem };
}

/**
 * Whether the scenario says it means to leave `h`: a request any `expect #N` line is about (a status
 * or `done` it never reached fails that line instead), `expect hanging` for anything, and, for a work
 * item (its workers are blocked), `expect deadlock` too.
 */
function hangingExpected(h: HangingWork, expects: readonly ExpectStatement[]): boolean {
  return expects.some((e) => {
    if (e.what === 'hanging') return true;
    if (h.kind === 'work-item' && e.what === 'deadlock') return true;
    return h.io !== undefined && (e.what === 'pending' || e.what === 'state' || e.what === 'status') && e.io === h.io;
  });
}

/** The verdict's sentence for work left hanging that no expect line accepts. */
export function hangingProblem(h: HangingWork): string {
  const hint = h.io !== undefined ? `write 'expect #${h.io} pending' if the scenario leaves it outstanding on purpose` : "write 'expect hanging' if the scenario means to leave it";
  return `the run ended with work left hanging: ${h.text} (${hint})`;
}

/** The verdict of each `expect` line (judgeRun's `expectations`). */
export function evaluateExpectations(scenario: Scenario, facts: RunFacts): ExpectationResult[] {
  return judgeRun(scenario, facts).expectations;
}

function result(e: ExpectStatement, r: { passed: boolean; actual: string }): ExpectationResult {
  return { line: e.line, text: e.text, verdict: r.passed ? 'pass' : 'fail', passed: r.passed, actual: r.actual };
}

function judge(e: ExpectStatement, facts: RunFacts): { passed: boolean; actual: string } {
  switch (e.what) {
    case 'status': {
      const op = facts.registryOps?.get(e.io);
      if (op !== undefined) return { passed: toStatus(op.status) === toStatus(e.status), actual: formatStatus(op.status) };
      const io = facts.ios.find((x) => x.id === e.io);
      if (!io || io.state === 'not issued') return { passed: false, actual: `#${e.io} was never issued` };
      if (io.status === null) return { passed: false, actual: `request #${e.io} never completed (state: ${io.state})` };
      return { passed: toStatus(io.status) === toStatus(e.status), actual: formatStatus(io.status) };
    }
    case 'state': {
      const io = facts.ios.find((x) => x.id === e.io);
      if (!io || io.state === 'not issued') return { passed: false, actual: `#${e.io} was never issued` };
      return { passed: io.state === e.state, actual: io.state };
    }
    case 'pending': {
      const io = facts.ios.find((x) => x.id === e.io);
      if (!io || io.state === 'not issued') return { passed: false, actual: `#${e.io} was never issued` };
      if (io.state === 'done') return { passed: false, actual: `#${e.io} completed${io.status === null ? '' : ` with ${formatStatus(io.status)}`}` };
      return { passed: true, actual: `#${e.io} never completed (state: ${io.state})` };
    }
    case 'hanging': {
      const left = facts.hanging ?? [];
      return left.length > 0 ? { passed: true, actual: `left hanging: ${left.map((h) => h.text).join('; ')}` } : { passed: false, actual: 'nothing was left hanging' };
    }
    case 'calls':
      return judgeCalls(e.func, e.module, e.count, facts);
    case 'violation':
      return { passed: facts.violations.some((v) => v.rule === e.rule), actual: violationSummary(facts) };
    case 'no-violation':
      return { passed: !facts.violations.some((v) => v.rule === e.rule), actual: violationSummary(facts) };
    case 'no-violations':
      return { passed: facts.violations.length === 0, actual: violationSummary(facts) };
    case 'output':
      return judgeOutput(e.output, facts.output ?? []);
    case 'load':
      return judgeLoad(e.module, e.status, facts);
    case 'deadlock':
      return facts.end.kind === 'deadlock'
        ? { passed: true, actual: `deadlock: ${blockedSummary(facts.end.blocked)}` }
        : { passed: false, actual: endSummary(facts.end) };
    case 'stop': {
      const end = facts.end;
      if (end.kind !== 'stopped') return { passed: false, actual: endSummary(end) };
      return { passed: e.reason === undefined || e.reason === end.reason, actual: endSummary(end) };
    }
    case 'granted': {
      const open = facts.opens?.get(e.io);
      if (open === undefined) return { passed: false, actual: `open-process #${e.io} never ran` };
      if (!ntSuccess(open.status)) return { passed: false, actual: `open-process #${e.io} failed with ${formatStatus(open.status)}` };
      return { passed: open.granted >>> 0 === e.access >>> 0, actual: `access 0x${(open.granted >>> 0).toString(16)}` };
    }
    case 'process': {
      const p = facts.processes?.get(e.process.toLowerCase());
      if (p === undefined) return { passed: false, actual: `no process "${e.process}"` };
      const actual = p.denied !== undefined ? `denied (${formatStatus(p.denied)})` : p.state;
      const passed = e.outcome === 'denied' ? p.denied !== undefined : e.outcome === 'exited' ? p.state === 'exited' : p.state === 'running' || p.state === 'exited';
      return { passed, actual };
    }
    case 'registry': {
      const fact = facts.registry?.get(registryFactKey(e.key, e.name)) ?? 'absent';
      const actual = typeof fact === 'string' ? fact : describeValue(fact);
      if (typeof e.state === 'string') return { passed: fact === e.state, actual };
      return { passed: typeof fact !== 'string' && sameValue(fact, e.state), actual };
    }
  }
}

/**
 * What an expect line asks for, in the words `actual` uses for what the run showed, so an editor can
 * put the two side by side (the Test Explorer's diff view).
 */
export function expectedText(e: ExpectStatement): string {
  switch (e.what) {
    case 'status':
    case 'load':
      return formatStatus(e.status);
    case 'state':
      return e.state;
    case 'pending':
      return `#${e.io} never completed`;
    case 'hanging':
      return 'work left hanging';
    case 'calls':
      return plural(e.count, 'call');
    case 'violation':
      return `violations: ${e.rule}`;
    case 'no-violation':
      return `no violation of ${e.rule}`;
    case 'no-violations':
      return 'no violations';
    case 'output':
      return `output: a line containing "${e.output}"`;
    case 'deadlock':
      return 'a deadlock';
    case 'stop':
      return e.reason === undefined ? 'stopped before its end' : `stopped (${e.reason})`;
    case 'granted':
      return `access 0x${(e.access >>> 0).toString(16)}`;
    case 'process':
      return e.outcome;
    case 'registry':
      return typeof e.state === 'string' ? e.state : describeValue(encodeValue(e.state));
  }
}

function endSummary(end: RunEnd): string {
  switch (end.kind) {
    case 'finished':
      return 'the run reached its end';
    case 'deadlock':
      return `the run ended in a deadlock (${blockedSummary(end.blocked)})`;
    case 'stopped':
      return `stopped (${end.reason}): ${end.message}`;
  }
}

function blockedSummary(blocked: readonly BlockedThread[]): string {
  return blocked.map((b) => `${b.thread} waits forever for ${b.waitingFor}`).join('; ');
}

function judgeLoad(module: string | undefined, expected: number, facts: RunFacts): { passed: boolean; actual: string } {
  const loads = module === undefined ? facts.loads : facts.loads.filter((l) => l.module.toLowerCase() === module.toLowerCase());
  if (loads.length === 0) {
    return { passed: false, actual: `no module named '${module ?? ''}'${didYouMean(module ?? '', facts.modules)} (modules: ${facts.modules.join(', ') || 'none'})` };
  }
  const shown = (l: { status: number | null }) => (l.status === null ? 'DriverEntry never returned' : formatStatus(l.status));
  const actual = loads.length === 1 ? shown(loads[0]!) : loads.map((l) => `${l.module}: ${shown(l)}`).join(', ');
  return { passed: loads.every((l) => l.status !== null && toStatus(l.status) === toStatus(expected)), actual };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function judgeCalls(func: string, module: string | undefined, expected: number, facts: RunFacts): { passed: boolean; actual: string } {
  if (module !== undefined) {
    const known = facts.modules.find((m) => m.toLowerCase() === module.toLowerCase());
    if (known === undefined) {
      // A misspelt module would otherwise count 0 calls and quietly satisfy `expect calls x!F 0`.
      return { passed: false, actual: `no module named '${module}'${didYouMean(module, facts.modules)} (modules: ${facts.modules.join(', ') || 'none'})` };
    }
  }
  const perModule = new Map<string, number>();
  for (const [key, n] of facts.calls) {
    const bang = key.indexOf('!');
    const m = bang >= 0 ? key.slice(0, bang) : '';
    const f = bang >= 0 ? key.slice(bang + 1) : key;
    if (f !== func || n === 0) continue;
    if (module !== undefined && m.toLowerCase() !== module.toLowerCase()) continue;
    perModule.set(m, (perModule.get(m) ?? 0) + n);
  }
  const total = [...perModule.values()].reduce((a, b) => a + b, 0);
  let actual = plural(total, 'call');
  // An unqualified name that several drivers define: show the split so a wrong total is explicable.
  if (module === undefined && perModule.size > 1) {
    actual += ` (${[...perModule].map(([m, n]) => `${m}: ${n}`).join(', ')})`;
  }
  return { passed: total === expected, actual };
}

/** `no violations`, or the distinct rule ids in the order they first occurred. */
function violationSummary(facts: RunFacts): string {
  if (facts.violations.length === 0) return 'no violations';
  const rules = [...new Set(facts.violations.map((v) => v.rule))];
  return `violations: ${rules.join(', ')}`;
}

function judgeOutput(wanted: string, output: readonly string[]): { passed: boolean; actual: string } {
  const hit = output.find((line) => line.includes(wanted));
  if (hit !== undefined) return { passed: true, actual: `output: "${hit}"` };
  if (output.length === 0) return { passed: false, actual: 'no output' };
  return { passed: false, actual: `${plural(output.length, 'output line')}, none contains "${wanted}"` };
}

/**
 * Rule ids named by `expect violation` / `expect no violation` that no rule has. The lint engine
 * supplies the known ids, so this lives apart from the parser.
 */
export function validateRuleIds(scenario: Scenario, knownIds: Iterable<string>): ScenarioDiagnostic[] {
  const known = [...knownIds];
  const set = new Set(known);
  const out: ScenarioDiagnostic[] = [];
  for (const e of scenario.expectations) {
    if ((e.what === 'violation' || e.what === 'no-violation') && !set.has(e.rule)) {
      out.push({
        ...e.ruleSpan,
        severity: 'error',
        code: 'unknown-rule',
        message: `unknown rule id '${e.rule}'${didYouMean(e.rule, known)}`,
        hint: 'Use an id from the rule documentation; runs and the linter report violations under those ids.',
      });
    }
  }
  return out;
}
