// Driver C is untrusted input: macro expansion and nesting are bounded, and going past a bound is a
// compile error at the line that names the bound, never a hang, an exhausted heap or a JavaScript
// "Maximum call stack size exceeded".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathRules } from '../../../engine/files';
import { preprocess, type PreprocessOptions } from '../../../engine/c/preprocess';
import { compileTranslationUnit } from '../../../engine/c/program';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { MAX_NESTING } from '../../../engine/limits';

function options(text: string, extra: Partial<PreprocessOptions> = {}): PreprocessOptions {
  return { readFile: (p) => (p === '/d/a.c' ? text : undefined), paths: pathRules('posix'), systemHeaders: new Map(), ...extra };
}

/** `#define M0 x`, `#define M1 M0 M0`, … `Mn`: Mn expands to 2^n tokens. */
function doubling(n: number): string {
  const lines = ['#define M0 x'];
  for (let i = 1; i <= n; i++) lines.push(`#define M${i} M${i - 1} M${i - 1}`);
  return lines.join('\n');
}

test('a macro that doubles itself 32 times stops at the macro-tokens limit with an error at its use', () => {
  // No timing here (speed lives in the benches): the diagnostic and the unread rest of the file show
  // the budget, not memory or time, ended the expansion of 2^32 tokens.
  const r = preprocess('/d/a.c', options(`${doubling(32)}\nint a = 1;\nint x[] = { M32 };\nint after;\n`));
  assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
  const d = r.diagnostics[0];
  assert.equal(d.origin.line, 35);
  assert.match(d.message, /^macro expansion produced more than 500,000 tokens \(expanding 'M\d+' here\).*raise it with `limit macro-tokens N` in the scenario or `--limit macro-tokens=N`/);
  assert.doesNotMatch(r.text, /int after;/, 'the rest of the file is not read once the budget is gone');
});

test('doubling through a parameter (`D(x) x x`) is counted too, and the limit is per file and settable', () => {
  const src = '#define D(x) x x\nint x[] = { D(D(D(D(D(D(D(D(D(D(D(D(1)))))))))))) };\n';
  assert.deepEqual(preprocess('/d/a.c', options(src)).diagnostics, [], '4096 tokens are well inside the default');
  const tight = preprocess('/d/a.c', options(src, { expansion: { tokens: 1000, depth: 200 } }));
  assert.equal(tight.diagnostics.length, 1);
  assert.match(tight.diagnostics[0].message, /more than 1,000 tokens \(expanding 'D' here\)/);
  assert.equal(tight.diagnostics[0].origin.line, 2);
});

test('macro calls nested in arguments stop at the macro-depth limit', () => {
  const n = 300;
  const src = `#define I(x) x\nint v = ${'I('.repeat(n)}1${')'.repeat(n)};\n`;
  const r = preprocess('/d/a.c', options(src));
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0].message, /^macro calls nested more than 200 deep inside macro arguments — raise it with `limit macro-depth N`/);
  assert.deepEqual(preprocess('/d/a.c', options(src, { expansion: { tokens: 1_000_000, depth: 400 } })).diagnostics, []);
});

test('#if nested past the bound, and an unterminated macro call in #include, are errors at the line', () => {
  const deep = `#if ${'('.repeat(5000)}1${')'.repeat(5000)}\nint y;\n#endif\nint z;\n`;
  const r = preprocess('/d/a.c', options(deep));
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].origin.line, 1);
  assert.match(r.diagnostics[0].message, new RegExp(`#if expression nested more than ${MAX_NESTING} levels deep`));
  const inc = preprocess('/d/a.c', options('#define H(x) x\n#include H(\nint z;\n'));
  assert.match(inc.diagnostics[0]?.message ?? '', /unterminated call of macro 'H'/);
});

async function compile(text: string) {
  await loadCLanguage();
  return compileTranslationUnit('/d/a.c', options(text));
}

const FN = (body: string) => `int g;\nvoid f(void)\n{\n${body}\n}\nint after(void) { return 1; }\n`;

test(`code nested up to ${MAX_NESTING} levels compiles; deeper is an error at the line that names the bound`, async () => {
  // Each block is a level, and so are the statement, the expression and its operand inside.
  const ok = await compile(FN(`${'{'.repeat(MAX_NESTING - 3)}g++;${'}'.repeat(MAX_NESTING - 3)}`));
  assert.deepEqual(ok.diagnostics, []);
  const over = await compile(FN(`${'{'.repeat(MAX_NESTING - 2)}g++;${'}'.repeat(MAX_NESTING - 2)}`));
  assert.equal(over.diagnostics.length, 1);
  for (const [what, body] of [
    ['10,000 nested blocks', `${'{'.repeat(10_000)}g++;${'}'.repeat(10_000)}`],
    ['3,000 parentheses', `g = ${'('.repeat(3000)}1${')'.repeat(3000)};`],
    ['5,000 nested ifs', `${'if (g) '.repeat(5000)}g++;`],
    ['a sum of 20,000 terms', `g = ${Array(20_000).fill('1').join(' + ')};`],
  ] as const) {
    const unit = await compile(FN(body));
    assert.equal(unit.diagnostics.length, 1, `${what}: ${JSON.stringify(unit.diagnostics)}`);
    const d = unit.diagnostics[0];
    assert.equal(d.loc.line, 4, what);
    assert.match(d.message, new RegExp(`^nested more than ${MAX_NESTING} levels deep .*a fixed bound`), what);
    assert.ok(!unit.functions.has('f'), `${what}: the function is left out`);
    assert.ok(unit.functions.has('after'), `${what}: the rest of the file is translated`);
  }
});

test('a line of 300,000 tokens is read without overflowing the stack', async () => {
  const unit = await compile(`int v[] = { ${Array(150_000).fill('1').join(',')} };\nint after;\n`);
  assert.deepEqual(unit.diagnostics, []);
  assert.ok(unit.globals.some((g) => g.name === 'after'));
});

/** `#define A0 1`, `#define A1 (A0)`, … `An`: each expands inside the one before it. */
function chain(n: number): string {
  const lines = ['#define A0 1'];
  for (let i = 1; i <= n; i++) lines.push(`#define A${i} (A${i - 1})`);
  return lines.join('\n');
}

test('macros expanding inside one another stop at the macro-depth limit at their use, without a heap of hide sets', () => {
  // Each level's hide set holds every macro above it: 3,000 levels cost 4.5 million set entries per
  // expansion before the bound; the run ended out of memory when the lint expanded each of them.
  const r = preprocess('/d/a.c', options(`${chain(3000)}\nint v = A3000;\nint after;\n`));
  assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
  assert.equal(r.diagnostics[0].origin.line, 3002);
  assert.match(r.diagnostics[0].message, /^macros expand inside one another more than 200 deep \(expanding 'A\d+' here\) — raise it with `limit macro-depth N`/);
  const shallow = preprocess('/d/a.c', options(`${chain(150)}\nint v = A150;\n`));
  assert.deepEqual(shallow.diagnostics, []);
  assert.match(shallow.text, /int v = \({150}1\){150};/);
  assert.deepEqual(preprocess('/d/a.c', options(`${chain(300)}\nint v = A300;\n`, { expansion: { tokens: 1_000_000, depth: 400 } })).diagnostics, []);
});
