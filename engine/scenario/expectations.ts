/**
 * Judges a scenario's `expect` lines against what a finished run observed. Pure: the run hands over
 * its facts, and each expectation gets a verdict plus a plain description of what was seen, which
 * the CLI prints after ✓/✗ and `--json` reports as `actual`.
 */
import { formatStatus, toStatus } from '../kernel/status';
import type { ExpectStatement, Scenario, ScenarioDiagnostic } from './ast';
import { didYouMean } from './suggest';

export interface RunFacts {
  ios: readonly { id: number; status: number; state: string }[];
  violations: readonly { rule: string }[];
  /** Keyed `module!Function`. */
  calls: ReadonlyMap<string, number>;
  modules: readonly string[];
  /** Captured DbgPrint/KdPrint lines; only `expect output` reads them. */
  output?: readonly string[];
}

export interface ExpectationResult {
  line: number;
  /** The expectation's source line without its comment, trimmed. */
  text: string;
  passed: boolean;
  /** What the run showed, in words: `STATUS_CANCELLED`, `2 calls`, `violations: assert`. */
  actual: string;
}

export function evaluateExpectations(scenario: Scenario, facts: RunFacts): ExpectationResult[] {
  const ios = new Map(facts.ios.map((io) => [io.id, io]));
  return scenario.expectations.map((e) => {
    const { passed, actual } = judge(e, facts, ios);
    return { line: e.line, text: e.text, passed, actual };
  });
}

function judge(e: ExpectStatement, facts: RunFacts, ios: ReadonlyMap<number, RunFacts['ios'][number]>): { passed: boolean; actual: string } {
  switch (e.what) {
    case 'status': {
      const io = ios.get(e.io);
      if (!io) return { passed: false, actual: `#${e.io} was never issued` };
      return { passed: toStatus(io.status) === toStatus(e.status), actual: formatStatus(io.status) };
    }
    case 'state': {
      const io = ios.get(e.io);
      if (!io) return { passed: false, actual: `#${e.io} was never issued` };
      return { passed: io.state === e.state, actual: io.state };
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
  }
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
