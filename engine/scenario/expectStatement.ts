/**
 * Parser for `expect` lines: what must hold when the run is over. Status names are checked
 * against the kernel's STATUS table, so a typo is caught before the run rather than failing it.
 */
import { STATUS, statusByName, toStatus } from '../kernel/status';
import type { Expectation, ExpectStatement, ProcessOutcome, Span } from './ast';

const PROCESS_OUTCOMES: readonly ProcessOutcome[] = ['started', 'denied', 'exited'];
import { LIMITS, LineCursor, parseInteger, readInteger, readIoRef, readString, spanOf } from './cursor';
import type { Token } from './lexer';
import { closest, didYouMean } from './suggest';
import { parseRegistryExpect } from './registryStatement';
import { C_IDENTIFIER, EXPECT_IO_WORDS, EXPECT_WORDS, IO_STATES, MODULE_NAME, RULE_ID_PATTERN, STOP_REASONS, type IoState, type RunStopReason } from './vocabulary';

const STATUS_NAMES = Object.keys(STATUS);
const EXPECT_FORMS = 'expect #1 status STATUS_SUCCESS, expect #1 pending, expect #1 granted 0x1000, expect process "x.exe" denied, expect registry "\\REGISTRY\\…" "Name" dword 1, expect calls PreRead 1, expect violation <rule-id>, expect no violations, expect load STATUS_X, expect deadlock, expect hanging, expect stop';

export function parseExpect(cur: LineCursor): ExpectStatement | undefined {
  const body = parseBody(cur);
  if (!body || !cur.expectEnd('the expectation')) return undefined;
  return { kind: 'expect', ...cur.statementSpan(), text: cur.codeText(), ...body } as ExpectStatement;
}

function parseBody(cur: LineCursor): Expectation | undefined {
  const t = cur.peek();
  if (!t) return cur.error(cur.whereMissing(), 'missing-value', 'missing expectation after expect', `Forms: ${EXPECT_FORMS}.`);
  if (t.kind === 'ioref') return parseIoExpectation(cur);
  cur.next();
  if (t.kind === 'word') {
    switch (t.value) {
      case 'calls':
        return parseCalls(cur, t);
      case 'violation': {
        const rule = readRuleId(cur, t);
        return rule && { what: 'violation', rule: rule.value, ruleSpan: rule.span };
      }
      case 'no':
        return parseNo(cur, t);
      case 'output': {
        const s = readString(cur, 'expected output text', 'expect output "queued read"');
        return s && { what: 'output', output: s.value };
      }
      case 'load':
        return parseLoad(cur, t);
      case 'deadlock':
        return { what: 'deadlock' };
      case 'hanging':
        return { what: 'hanging' };
      case 'stop':
        return parseStop(cur);
      case 'registry':
        return parseRegistryExpect(cur);
      case 'process': {
        const name = readString(cur, 'process name', 'expect process "notepad.exe" denied');
        if (!name) return undefined;
        const o = cur.next();
        if (!o || o.kind !== 'word' || !(PROCESS_OUTCOMES as readonly string[]).includes(o.value)) {
          return cur.error(o ?? name.span, o ? 'unknown-state' : 'missing-value', o ? `unknown process outcome '${o.raw}'${o.kind === 'word' ? didYouMean(o.value, PROCESS_OUTCOMES) : ''}` : 'missing process outcome', `Write one of ${PROCESS_OUTCOMES.join(', ')}: expect process "notepad.exe" denied`);
        }
        return { what: 'process', process: name.value, processSpan: name.span, outcome: o.value as ProcessOutcome };
      }
    }
  }
  return cur.error(
    t,
    'unknown-expectation',
    `unknown expectation '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, EXPECT_WORDS) : ''}`,
    `Forms: ${EXPECT_FORMS}.`,
  );
}

const IO_HINT = (id: number): string => `Write: expect #${id} status STATUS_SUCCESS, expect #${id} state done, or expect #${id} pending`;

const IO_WORDS_TEXT = "'status', 'state', 'pending' or 'granted'";

function parseIoExpectation(cur: LineCursor): Expectation | undefined {
  const io = readIoRef(cur, 'expect #1 status STATUS_SUCCESS');
  if (!io) return undefined;
  const word = cur.next();
  if (!word) return cur.error(io.span, 'missing-value', `missing ${IO_WORDS_TEXT} after #${io.id}`, IO_HINT(io.id));
  if (word.kind !== 'word' || !(EXPECT_IO_WORDS as readonly string[]).includes(word.value)) {
    return cur.error(
      word,
      'unknown-expectation',
      `expected ${IO_WORDS_TEXT} after #${io.id}, found '${word.raw}'${word.kind === 'word' ? didYouMean(word.value, EXPECT_IO_WORDS) : ''}`,
      IO_HINT(io.id),
    );
  }
  if (word.value === 'pending') return { what: 'pending', io: io.id, ioSpan: io.span };
  if (word.value === 'granted') {
    const access = readInteger(cur, word, 'access mask', LIMITS.ulong);
    return access === undefined ? undefined : { what: 'granted', io: io.id, ioSpan: io.span, access };
  }
  if (word.value === 'status') {
    const status = readStatus(cur, word);
    return status && { what: 'status', io: io.id, ioSpan: io.span, status: status.value, statusText: status.text };
  }
  const state = cur.next();
  if (!state) return cur.error(word, 'missing-value', "missing state after 'state'", `States: ${IO_STATES.join(', ')}.`);
  if (state.kind !== 'word' || !(IO_STATES as readonly string[]).includes(state.value)) {
    return cur.error(state, 'unknown-state', `unknown io state '${state.raw}'${didYouMean(state.value, IO_STATES)}`, `States: ${IO_STATES.join(', ')}.`);
  }
  return { what: 'state', io: io.id, ioSpan: io.span, state: state.value as IoState };
}

/** A STATUS_* name from the table, or a number for codes the table does not name. */
function readStatus(cur: LineCursor, label: Token): { value: number; text: string } | undefined {
  const t = cur.next();
  const hint = 'Name an NTSTATUS such as STATUS_SUCCESS or STATUS_CANCELLED, or give its value in hex (0xC0000120).';
  if (!t) return cur.error(label, 'missing-value', `missing status after '${label.raw}'`, hint);
  if (t.kind !== 'word') return cur.error(t, 'unknown-status', `expected a status name, found ${t.raw}`, hint);
  const byName = statusByName(t.value);
  if (byName !== undefined) return { value: byName, text: t.value };
  const n = parseInteger(t.value);
  if (n !== undefined) {
    if (n > LIMITS.ulong) return cur.error(t, 'bad-number', `status ${t.value} does not fit in 32 bits`, hint);
    return { value: toStatus(n), text: t.value };
  }
  // `CANCELLED` for `STATUS_CANCELLED`: try the name with the prefix before guessing a typo.
  const prefixed = t.value.toUpperCase().startsWith('STATUS_') ? t.value : `STATUS_${t.value}`;
  const near = closest(prefixed, STATUS_NAMES);
  return cur.error(t, 'unknown-status', `unknown status '${t.value}'${near ? ` — did you mean '${near}'?` : ''}`, hint);
}

/** `expect load STATUS_X` (every driver) or `expect load module STATUS_X`. */
function parseLoad(cur: LineCursor, label: Token): Expectation | undefined {
  const example = 'expect load STATUS_INSUFFICIENT_RESOURCES, or expect load counting STATUS_SUCCESS';
  const first = cur.peek();
  if (!first) return cur.error(label, 'missing-value', "missing status after 'load'", `Say what DriverEntry returns: ${example}`);
  const second = cur.tokens[cur.tokens.indexOf(first) + 1];
  let module: { name: string; span: Span } | undefined;
  if (second !== undefined) {
    cur.next();
    if (first.kind !== 'word' || !MODULE_NAME.test(first.value)) {
      return cur.error(first, 'bad-name', `'${first.raw}' is not a module name`, `The module is the driver file name without extension: ${example}`);
    }
    module = { name: first.value, span: spanOf(first) };
  }
  const status = readStatus(cur, module ? first : label);
  if (!status) return undefined;
  const e: Expectation = { what: 'load', status: status.value, statusText: status.text };
  if (module) {
    e.module = module.name;
    e.moduleSpan = module.span;
  }
  return e;
}

/** `expect stop` (for any reason) or `expect stop <reason>`. */
function parseStop(cur: LineCursor): Expectation | undefined {
  const t = cur.next();
  if (!t) return { what: 'stop' };
  const hint = `Reasons: ${STOP_REASONS.join(', ')}. Leave the reason out to accept any.`;
  if (t.kind !== 'word' || !(STOP_REASONS as readonly string[]).includes(t.value)) {
    return cur.error(t, 'unknown-expectation', `unknown stop reason '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, STOP_REASONS) : ''}`, hint);
  }
  return { what: 'stop', reason: t.value as RunStopReason, reasonSpan: spanOf(t) };
}

function parseCalls(cur: LineCursor, label: Token): Expectation | undefined {
  const example = 'expect calls CsqCompleteCanceledIo 1, or expect calls counting!PreRead 0';
  const target = cur.next();
  if (!target) return cur.error(label, 'missing-value', "missing function name after 'calls'", `Write: ${example}`);
  if (target.kind !== 'word') return cur.error(target, 'bad-name', `expected a function name, found ${target.raw}`, `Write: ${example}`);
  const bang = target.value.indexOf('!');
  const module = bang >= 0 ? target.value.slice(0, bang) : undefined;
  const func = bang >= 0 ? target.value.slice(bang + 1) : target.value;
  if (module !== undefined && !MODULE_NAME.test(module)) {
    return cur.error(target, 'bad-name', `'${module}' is not a module name`, 'The module is the driver file name without extension: counting!PreRead for counting.c.');
  }
  if (!C_IDENTIFIER.test(func)) {
    return cur.error(target, 'bad-name', `'${func}' is not a C function name`, `Write: ${example}`);
  }
  const count = readInteger(cur, target, 'call count');
  if (count === undefined) return undefined;
  const e: Expectation = { what: 'calls', func, count, targetSpan: spanOf(target) };
  if (module !== undefined) e.module = module;
  return e;
}

function parseNo(cur: LineCursor, label: Token): Expectation | undefined {
  const t = cur.next();
  const hint = 'Write: expect no violations, or expect no violation <rule-id>';
  if (!t) return cur.error(label, 'missing-value', "missing 'violations' after 'no'", hint);
  if (t.kind === 'word' && t.value === 'violations') return { what: 'no-violations' };
  if (t.kind === 'word' && t.value === 'violation') {
    const rule = readRuleId(cur, t);
    return rule && { what: 'no-violation', rule: rule.value, ruleSpan: rule.span };
  }
  return cur.error(t, 'unknown-expectation', `unknown expectation 'no ${t.raw}'${t.kind === 'word' ? didYouMean(t.value, ['violations', 'violation']) : ''}`, hint);
}

function readRuleId(cur: LineCursor, label: Token): { value: string; span: Span } | undefined {
  const t = cur.next();
  const hint = 'Rule ids are lowercase words joined by hyphens, such as cpp-bad-status or assert.';
  if (!t) return cur.error(label, 'missing-value', `missing rule id after '${label.raw}'`, hint);
  if (t.kind !== 'word' || !RULE_ID_PATTERN.test(t.value)) {
    const fixed = t.value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    const suggestion = t.kind === 'word' && RULE_ID_PATTERN.test(fixed) && fixed !== t.value ? ` — did you mean '${fixed}'?` : '';
    return cur.error(t, 'malformed-rule-id', `malformed rule id '${t.raw}'${suggestion}`, hint);
  }
  return { value: t.value, span: spanOf(t) };
}
