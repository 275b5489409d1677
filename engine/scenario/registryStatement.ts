/**
 * `registry` lines: the registry's contents before the run, and the program's registry operations
 * that the drivers' registry callbacks see; and `expect registry` lines about the contents at the end.
 *
 *   registry "DebugFlags" dword 1                                        every driver's service key and Parameters
 *   registry "\REGISTRY\MACHINE\SOFTWARE\Contoso" volatile               a key
 *   registry "\REGISTRY\MACHINE\SOFTWARE\Contoso" "Mode" string "fast"   a value in a key
 *   registry #1 set-value "\REGISTRY\MACHINE\SOFTWARE\Contoso" "Mode" dword 2 process "reg.exe" at 5
 *   expect registry "\REGISTRY\MACHINE\SOFTWARE\Contoso" "Mode" string "fast"
 */
import type { Expectation, RegistryOpStatement, RegistryStatement, RegistryValue, Span } from './ast';
import { LIMITS, LineCursor, readInteger, readIoRef, readString, spanOf } from './cursor';
import type { Token } from './lexer';
import { didYouMean } from './suggest';
import { REGISTRY_OPS, REGISTRY_TYPES, type RegistryOpWord } from './vocabulary';

const EXAMPLE = 'registry "DebugFlags" dword 1, registry "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso" "Mode" string "fast", or registry #1 set-value "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso" "Mode" dword 2 at 5';
const KEY_HINT = 'A key path starts at \\REGISTRY: \\REGISTRY\\MACHINE\\SOFTWARE\\Contoso, \\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\<driver>\\Parameters, \\REGISTRY\\USER\\.DEFAULT\\…';
const OP_OPTIONS = ['process', 'at', 'volatile'] as const;
/** Operations that name a value after the key. */
const VALUE_OPS: readonly RegistryOpWord[] = ['set-value', 'query-value', 'delete-value'];

function base(cur: LineCursor): Span & { text: string } {
  return { ...cur.statementSpan(), text: cur.codeText() };
}

/** A quoted key path; refused (at the string) unless it starts at \REGISTRY with no empty part. */
function readKeyPath(cur: LineCursor, example: string): { value: string; span: Span } | undefined {
  const p = readString(cur, 'key path', example);
  if (!p) return undefined;
  if (!isKeyPath(p.value)) return cur.error(p.span, 'bad-name', `"${p.value}" is not a registry key path`, KEY_HINT);
  return p;
}

function isKeyPath(text: string): boolean {
  return /^\\REGISTRY(\\[^\\]+)+\\?$/i.test(text);
}

export function parseRegistry(cur: LineCursor): RegistryStatement | RegistryOpStatement | undefined {
  const first = cur.peek();
  if (first?.kind === 'ioref') return parseRegistryOp(cur);
  const head = readString(cur, 'registry value name or key path', EXAMPLE);
  if (!head) return undefined;
  if (!head.value.includes('\\')) {
    // Today's form: a value of every driver's service key and Parameters subkey.
    if (head.value.trim() === '') return cur.error(head.span, 'missing-string', 'the value name is empty', `Name the value: ${EXAMPLE}`);
    const value = readValue(cur, `registry "${head.value}" dword 1`);
    if (!value || !cur.expectEnd('the registry value')) return undefined;
    return { kind: 'registry', ...base(cur), name: head.value, nameSpan: head.span, value, volatile: false };
  }
  if (!isKeyPath(head.value)) return cur.error(head.span, 'bad-name', `"${head.value}" is not a registry key path`, KEY_HINT);
  const stmt: RegistryStatement = { kind: 'registry', ...base(cur), key: head.value, keySpan: head.span, volatile: false };
  const next = cur.peek();
  if (next?.kind === 'word' && next.value === 'volatile') {
    cur.next();
    stmt.volatile = true;
  } else if (next?.kind === 'string') {
    const name = readString(cur, 'value name', EXAMPLE)!;
    const value = readValue(cur, `registry "${head.value}" "${name.value}" dword 1`);
    if (!value) return undefined;
    stmt.name = name.value;
    stmt.nameSpan = name.span;
    stmt.value = value;
  } else if (next !== undefined) {
    return cur.error(next, 'unknown-option', `expected a value name in quotes or 'volatile' after the key path, found '${next.raw}'`, `Write: ${EXAMPLE}`);
  }
  if (!cur.expectEnd('the registry line')) return undefined;
  return { ...stmt, ...base(cur) };
}

function parseRegistryOp(cur: LineCursor): RegistryOpStatement | undefined {
  const example = 'registry #1 set-value "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso" "Mode" dword 2 at 5';
  const id = readIoRef(cur, example);
  if (!id) return undefined;
  const opTok = cur.next();
  if (!opTok || opTok.kind !== 'word' || !(REGISTRY_OPS as readonly string[]).includes(opTok.value)) {
    return cur.error(opTok ?? id.span, opTok ? 'unknown-option' : 'missing-value', opTok ? `unknown registry operation '${opTok.raw}'${opTok.kind === 'word' ? didYouMean(opTok.value, REGISTRY_OPS) : ''}` : `missing operation after #${id.id}`, `Operations: ${REGISTRY_OPS.join(', ')}: ${example}`);
  }
  const op = opTok.value as RegistryOpWord;
  const path = readKeyPath(cur, `registry #${id.id} ${op} "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso"${VALUE_OPS.includes(op) ? ' "Mode"' : ''}`);
  if (!path) return undefined;
  const stmt: RegistryOpStatement = { kind: 'registry-op', ...base(cur), id: id.id, idSpan: id.span, op, path: path.value, pathSpan: path.span, volatile: false, time: 0 };
  if (VALUE_OPS.includes(op)) {
    const name = readString(cur, 'value name', `registry #${id.id} ${op} "${path.value}" "Mode"${op === 'set-value' ? ' dword 1' : ''}`);
    if (!name) return undefined;
    stmt.name = name.value;
    stmt.nameSpan = name.span;
    if (op === 'set-value') {
      const value = readValue(cur, `registry #${id.id} set-value "${path.value}" "${name.value}" dword 1`);
      if (!value) return undefined;
      stmt.value = value;
    }
  }
  const seen = new Map<string, Token>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(OP_OPTIONS as readonly string[]).includes(t.value) || (t.value === 'volatile' && op !== 'create-key')) {
      const options = op === 'create-key' ? OP_OPTIONS : OP_OPTIONS.filter((o) => o !== 'volatile');
      return cur.error(t, 'unknown-option', `unknown ${op} option '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, options) : ''}`, `Options: ${options.join(', ')}: ${example}`);
    }
    const previous = seen.get(t.value);
    if (previous) return cur.error(t, 'duplicate', `'${t.value}' is given twice in this registry line`, `Keep one '${t.value}' (the first is at column ${previous.column}).`);
    seen.set(t.value, t);
    if (t.value === 'volatile') stmt.volatile = true;
    else if (t.value === 'process') {
      const p = readString(cur, 'process name', 'process "regedit.exe"');
      if (!p) return undefined;
      stmt.process = p.value;
      stmt.processSpan = p.span;
    } else {
      const time = readInteger(cur, t, 'time');
      if (time === undefined) return undefined;
      stmt.time = time;
    }
  }
  return { ...stmt, ...base(cur) };
}

/** `<type> <data>`: dword N, qword N, string "…", expand-string "…", multi-string "a" "b" …, binary "00 ff", none. */
export function readValue(cur: LineCursor, example: string): RegistryValue | undefined {
  const type = cur.next();
  if (!type) return cur.error(cur.whereMissing(), 'missing-value', 'missing value type', `Give the type and the data: ${example}. Types: ${REGISTRY_TYPES.join(', ')}.`);
  if (type.kind !== 'word' || !(REGISTRY_TYPES as readonly string[]).includes(type.value)) {
    return cur.error(type, 'unknown-option', `unknown registry type '${type.raw}'${type.kind === 'word' ? didYouMean(type.value, REGISTRY_TYPES) : ''}`, `Types: ${REGISTRY_TYPES.join(', ')}: ${example}`);
  }
  switch (type.value) {
    case 'dword': {
      const n = readNumber(cur, type, 'DWORD value', BigInt(LIMITS.ulong));
      return n === undefined ? undefined : { type: 'dword', value: Number(n) };
    }
    case 'qword': {
      const n = readNumber(cur, type, 'QWORD value', (1n << 64n) - 1n);
      return n === undefined ? undefined : { type: 'qword', value: n };
    }
    case 'string':
    case 'expand-string': {
      const s = readString(cur, `${type.value} value`, `${type.value} "text"`);
      return s && { type: type.value, value: s.value };
    }
    case 'multi-string': {
      const first = readString(cur, 'first string of the multi-string value', 'multi-string "one" "two"');
      if (!first) return undefined;
      const out = [first.value];
      while (cur.peek()?.kind === 'string') out.push(cur.next()!.value);
      if (out.some((s) => s === '')) return cur.error(first.span, 'missing-string', 'a REG_MULTI_SZ cannot hold an empty string (it would end the list)', 'Leave the empty string out.');
      return { type: 'multi-string', value: out };
    }
    case 'binary': {
      const s = readString(cur, 'bytes in hex', 'binary "01 02 ff"');
      if (!s) return undefined;
      const hex = s.value.replace(/\s+/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return cur.error(s.span, 'bad-number', `"${s.value}" is not bytes in hex`, 'Write two hex digits per byte, spaces allowed: binary "01 02 ff"');
      return { type: 'binary', value: (hex.match(/../g) ?? []).map((b) => parseInt(b, 16)) };
    }
    default:
      return { type: 'none' };
  }
}

function readNumber(cur: LineCursor, label: Token, what: string, max: bigint): bigint | undefined {
  const t = cur.next();
  const hint = 'Write a decimal (4096) or hex (0x1000) integer with no sign or suffix.';
  if (!t) return cur.error(label, 'missing-value', `missing ${what} after '${label.raw}'`, hint);
  if (t.kind !== 'word' || !/^([0-9]+|0[xX][0-9a-fA-F]+)$/.test(t.value)) return cur.error(t, 'bad-number', `bad number '${t.raw}' for ${what}`, hint);
  const n = BigInt(t.value);
  if (n > max) return cur.error(t, 'bad-number', `${what} ${t.value} is out of range`, `Use a value from 0 to ${max}.`);
  return n;
}

/** `expect registry "<key>" exists|absent` or `expect registry "<key>" "<name>" absent|<type> <data>` (after `registry`). */
export function parseRegistryExpect(cur: LineCursor): Expectation | undefined {
  const example = 'expect registry "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso" "Mode" dword 2, or expect registry "\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso" absent';
  const key = readKeyPath(cur, example);
  if (!key) return undefined;
  const next = cur.peek();
  if (next?.kind === 'string') {
    const name = cur.next()!;
    const after = cur.peek();
    if (after?.kind === 'word' && after.value === 'absent') {
      cur.next();
      return { what: 'registry', key: key.value, keySpan: key.span, name: name.value, state: 'absent' };
    }
    const value = readValue(cur, `expect registry "${key.value}" "${name.value}" dword 1`);
    return value && { what: 'registry', key: key.value, keySpan: key.span, name: name.value, state: value };
  }
  const word = cur.next();
  if (!word || word.kind !== 'word' || (word.value !== 'exists' && word.value !== 'absent')) {
    return cur.error(word ?? spanOf(key.span), word ? 'unknown-expectation' : 'missing-value', word ? `expected 'exists', 'absent' or a value name after the key, found '${word.raw}'` : "missing 'exists', 'absent' or a value name after the key", `Write: ${example}`);
  }
  return { what: 'registry', key: key.value, keySpan: key.span, state: word.value };
}
