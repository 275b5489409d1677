/**
 * The part of MSBuild's evaluation a driver project needs: `$(Property)` and `%(Metadata)`
 * expansion, and `Condition` attributes (`'$(Configuration)|$(Platform)'=='Debug|x64'`, `and`,
 * `or`, `!`, parentheses, `exists('…')`). A reference that cannot be resolved expands to nothing
 * and is reported, so the caller can say what it dropped.
 */

export interface Expansion {
  value: string;
  /** References that had no value (`$(DDK_INC_PATH)`, `%(PreprocessorDefinitions)`), as written. */
  unresolved: string[];
}

/**
 * The file-system questions MSBuild's `[MSBuild]::GetPathOfFileAbove` and
 * `GetDirectoryNameOfFileAbove` ask: the nearest folder at or above `startDir` that holds `name`.
 */
export interface FileAbove {
  folderOfFileAbove(name: string, startDir: string): string | undefined;
  /** `name` inside `folder`, as the platform joins paths. */
  join(folder: string, name: string): string;
}

export function expandProperties(text: string, props: ReadonlyMap<string, string>, metadata?: ReadonlyMap<string, string>, above?: FileAbove): Expansion {
  const unresolved: string[] = [];
  const value = expandDollar(text, props, unresolved, above)
    .replace(/%\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)/g, (whole, name: string) => {
      const v = metadata?.get(name.toLowerCase());
      if (v === undefined) {
        unresolved.push(whole);
        return '';
      }
      return v;
    });
  return { value, unresolved };
}

/**
 * `$(Name)`, and `$(Name.Method(args)…)`: the string property functions projects use to derive one
 * name from another (`$(ProjectName.Substring(0, $(ProjectName.LastIndexOf('.'))))`). Arguments may
 * hold `$(…)` themselves. A property or function fltsim cannot evaluate expands to nothing and is
 * reported in `unresolved`, as before.
 */
function expandDollar(text: string, props: ReadonlyMap<string, string>, unresolved: string[], above?: FileAbove): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('$(', i);
    if (start < 0) break;
    const end = closingParen(text, start + 1);
    if (end < 0) break;
    out += text.slice(i, start);
    const whole = text.slice(start, end + 1);
    const v = evaluateProperty(text.slice(start + 2, end).trim(), props, unresolved, above);
    if (v === undefined) unresolved.push(whole);
    out += v ?? '';
    i = end + 1;
  }
  return out + text.slice(i);
}

/** The index of the `)` that closes the `(` at `open`, skipping quoted text; -1 when none does. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

function evaluateProperty(body: string, props: ReadonlyMap<string, string>, unresolved: string[], above?: FileAbove): string | undefined {
  if (/^\[MSBuild\]::/i.test(body)) return fileAboveFunction(body, props, unresolved, above);
  const head = /^([A-Za-z_][A-Za-z0-9_-]*)/.exec(body);
  if (!head) return undefined;
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(body)) {
    // A plain name; `Name.Length` is the one member read without parentheses.
    const plain = props.get(body.toLowerCase());
    if (plain !== undefined || !/\.length$/i.test(body)) return plain;
  }
  let value = props.get(head[1].toLowerCase());
  if (value === undefined) return undefined;
  let rest = body.slice(head[1].length).trim();
  while (rest !== '') {
    const call = /^\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(rest);
    if (!call) return undefined;
    rest = rest.slice(call[0].length);
    let args: string[] = [];
    if (rest.startsWith('(')) {
      const close = closingParen(rest, 0);
      if (close < 0) return undefined;
      const list = splitArguments(rest.slice(1, close));
      if (list === undefined) return undefined;
      args = list.map((a) => unquote(expandDollar(a, props, unresolved, above).trim()));
      rest = rest.slice(close + 1).trim();
    }
    const next = stringFunction(value, call[1], args);
    if (next === undefined) return undefined;
    value = next;
  }
  return value;
}

/**
 * `$([MSBuild]::GetPathOfFileAbove(name, startDir))` (the file's full path, or '' when no folder
 * at or above startDir holds it) and `$([MSBuild]::GetDirectoryNameOfFileAbove(startDir, name))`
 * (that folder), as MSBuild documents them; a Directory.Build.props chains to its parent's with
 * the first. Other `[MSBuild]::` functions are not evaluated.
 */
function fileAboveFunction(body: string, props: ReadonlyMap<string, string>, unresolved: string[], above?: FileAbove): string | undefined {
  const m = /^\[MSBuild\]::\s*(GetPathOfFileAbove|GetDirectoryNameOfFileAbove)\s*\(/i.exec(body);
  if (!m || !above) return undefined;
  const open = m[0].length - 1;
  const close = closingParen(body, open);
  if (close !== body.length - 1) return undefined;
  const args = splitArguments(body.slice(open + 1, close))?.map((a) => unquote(expandDollar(a, props, unresolved, above).trim()));
  if (!args) return undefined;
  const pathOf = m[1].toLowerCase() === 'getpathoffileabove';
  const [name, start] = pathOf ? [args[0], args[1] ?? props.get('msbuildthisfiledirectory')] : [args[1], args[0]];
  if (!name || !start || args.length > 2) return undefined;
  const folder = above.folderOfFileAbove(name, start);
  if (folder === undefined) return '';
  return pathOf ? above.join(folder, name) : folder;
}

function splitArguments(text: string): string[] | undefined {
  if (text.trim() === '') return [];
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let j = 0; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, j));
      from = j + 1;
    }
  }
  if (quote || depth !== 0) return undefined;
  out.push(text.slice(from));
  return out;
}

function unquote(a: string): string {
  return /^(['"`]).*\1$/s.test(a) ? a.slice(1, -1) : a;
}

/** The .NET string members MSBuild property functions allow that name-deriving projects use. */
function stringFunction(value: string, name: string, args: string[]): string | undefined {
  const int = (a: string | undefined): number | undefined => (a !== undefined && /^-?\d+$/.test(a) ? Number(a) : undefined);
  switch (name.toLowerCase()) {
    case 'length':
      return args.length === 0 ? String(value.length) : undefined;
    case 'substring': {
      const from = int(args[0]);
      const len = args.length > 1 ? int(args[1]) : value.length - (from ?? 0);
      if (from === undefined || len === undefined || from < 0 || len < 0 || from + len > value.length) return undefined;
      return value.substr(from, len);
    }
    case 'indexof':
      return args.length === 1 ? String(value.indexOf(args[0])) : undefined;
    case 'lastindexof':
      return args.length === 1 ? String(value.lastIndexOf(args[0])) : undefined;
    case 'replace':
      return args.length === 2 && args[0] !== '' ? value.split(args[0]).join(args[1]) : undefined;
    case 'tolower':
    case 'tolowerinvariant':
      return value.toLowerCase();
    case 'toupper':
    case 'toupperinvariant':
      return value.toUpperCase();
    case 'trim':
      return args.length === 0 ? value.trim() : undefined;
    case 'startswith':
      return args.length === 1 ? (value.startsWith(args[0]) ? 'True' : 'False') : undefined;
    case 'endswith':
      return args.length === 1 ? (value.endsWith(args[0]) ? 'True' : 'False') : undefined;
    case 'contains':
      return args.length === 1 ? (value.includes(args[0]) ? 'True' : 'False') : undefined;
    default:
      return undefined;
  }
}

export type ConditionResult = { ok: true; value: boolean } | { ok: false; message: string };

type Tok = { k: 'str' | 'word' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return 'a quoted string is not closed';
      out.push({ k: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') { out.push({ k: 'op', v: two }); i += 2; continue; }
    if (c === '<' || c === '>' || c === '!') { out.push({ k: 'op', v: c }); i++; continue; }
    if (c === '(') { out.push({ k: 'lp', v: c }); i++; continue; }
    if (c === ')') { out.push({ k: 'rp', v: c }); i++; continue; }
    if (c === ',') { out.push({ k: 'comma', v: c }); i++; continue; }
    const m = /^[A-Za-z0-9_.$:\\/-]+/.exec(text.slice(i));
    if (!m) return `unexpected '${c}'`;
    out.push({ k: 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

/**
 * Evaluates a Condition whose `$(…)` references were already expanded. `exists` asks the caller.
 * Strings compare without case, as MSBuild does.
 */
export function evaluateCondition(expanded: string, exists: (path: string) => boolean): ConditionResult {
  const toks = tokenize(expanded);
  if (typeof toks === 'string') return { ok: false, message: toks };
  let pos = 0;
  const peek = () => toks[pos];
  const fail = (m: string): never => { throw new Error(m); };
  const operand = (): string => {
    const t = toks[pos++];
    if (!t) return fail('the condition ends too early');
    if (t.k === 'str' || t.k === 'word') return t.v;
    return fail(`unexpected '${t.v}'`);
  };
  const primary = (): boolean => {
    const t = peek();
    if (!t) return fail('the condition ends too early');
    if (t.k === 'op' && t.v === '!') { pos++; return !primary(); }
    if (t.k === 'lp') {
      pos++;
      const v = orExpr();
      if (peek()?.k !== 'rp') fail("missing ')'");
      pos++;
      return v;
    }
    if (t.k === 'word' && /^(exists|hastrailingslash)$/i.test(t.v) && toks[pos + 1]?.k === 'lp') {
      pos += 2;
      const arg = operand();
      if (peek()?.k !== 'rp') fail("missing ')'");
      pos++;
      return /^exists$/i.test(t.v) ? arg.trim() !== '' && exists(arg.trim()) : /[\\/]$/.test(arg);
    }
    const left = operand();
    const op = peek();
    if (op?.k === 'op' && op.v !== '!') {
      pos++;
      const right = operand();
      const a = left.toLowerCase();
      const b = right.toLowerCase();
      switch (op.v) {
        case '==': return a === b;
        case '!=': return a !== b;
        default: {
          const x = Number(left);
          const y = Number(right);
          if (Number.isNaN(x) || Number.isNaN(y)) fail(`'${op.v}' compares numbers only`);
          return op.v === '<' ? x < y : op.v === '>' ? x > y : op.v === '<=' ? x <= y : x >= y;
        }
      }
    }
    const lower = left.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    return fail(`'${left}' is not a condition`);
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (peek()?.k === 'word' && peek()!.v.toLowerCase() === 'and') { pos++; const r = primary(); v = v && r; }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek()?.k === 'word' && peek()!.v.toLowerCase() === 'or') { pos++; const r = andExpr(); v = v || r; }
    return v;
  };
  try {
    if (toks.length === 0) return { ok: true, value: true };
    const v = orExpr();
    if (pos < toks.length) return { ok: false, message: `unexpected '${toks[pos].v}'` };
    return { ok: true, value: v };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
