import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IO_FLAG_NAMES, IO_OP_NAMES, IO_OPTION_NAMES, IO_STATES, STATEMENT_KEYWORDS, STOP_REASONS } from '../../../engine/scenario';
import { EXPECT_WORDS } from '../../../engine/scenario/vocabulary';
import { LIMIT_NAMES } from '../../../engine/limits';

// The grammar fixtures live in test/grammar/ and are checked by vscode-tmgrammar-test, which reads
// the grammars from package.json's contributes.grammars (so the manifest entries are tested too)
// plus test-only stand-ins for the C and C++ grammars.
const TOOL = join('node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const STAND_INS = ['-g', 'test/grammar/c-standin.tmLanguage.json', '-g', 'test/grammar/cpp-standin.tmLanguage.json'];

function runTool(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [TOOL, ...STAND_INS, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('npm run test:grammar passes on every fixture', () => {
  const r = spawnSync('npm', ['run', '--silent', 'test:grammar'], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  for (const fixture of ['scenario.test.fltsim', 'injection.test.c', 'injection.test.cpp']) {
    assert.match(out, new RegExp(`✓ test/grammar/${fixture.replace(/\./g, '\\.')} run successfuly`), `${fixture} ran and passed:\n${out}`);
  }
});

test('a fixture with a wrong assertion makes the tool fail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-grammar-'));
  try {
    const fixture = join(dir, 'wrong.test.fltsim');
    writeFileSync(fixture, ['// SYNTAX TEST "source.fltsim"', 'io #1 read "\\a"', '//    ^^^^ constant.other.status.fltsim', ''].join('\n'));
    const r = runTool([fixture]);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /missing required scopes: constant\.other\.status\.fltsim/);
    // The same fixture with the right scope passes, so the failure above came from the assertion.
    writeFileSync(fixture, ['// SYNTAX TEST "source.fltsim"', 'io #1 read "\\a"', '//    ^^^^ support.function.operation.fltsim', ''].join('\n'));
    assert.equal(runTool([fixture]).status, 0);
    // And the injection must not reach into C comments.
    const c = join(dir, 'wrong.test.c');
    writeFileSync(c, ['// SYNTAX TEST "source.c"', '// FltCancelIo(Data)', '// ^^^^^^^^^^^ support.function.flt.c', ''].join('\n'));
    assert.notEqual(runTool([c]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the fltsim grammar knows every keyword, operation, flag, option and state the parser knows', () => {
  const grammar = JSON.parse(readFileSync('syntaxes/fltsim.tmLanguage.json', 'utf8'));
  const repo = grammar.repository;
  const whole = (source: string, word: string) => {
    const m = new RegExp(source).exec(`${word} `);
    return m !== null && m.index === 0 && m[0].trimEnd().endsWith(word);
  };
  const statementSources = [repo.statement.match, repo.define.begin, repo.unload.begin, repo.expect.begin, repo.client.begin, repo.limit.begin];
  for (const k of STATEMENT_KEYWORDS) assert.ok(statementSources.some((s) => whole(s, k)), `statement keyword ${k}`);
  for (const op of IO_OP_NAMES) assert.ok(whole(repo.operation.match, op), `operation ${op}`);
  for (const f of IO_FLAG_NAMES) assert.ok(whole(repo.flag.match, f), `flag ${f}`);
  for (const o of IO_OPTION_NAMES) assert.ok(whole(repo.option.match, o), `option ${o}`);
  for (const l of LIMIT_NAMES) assert.equal(new RegExp(repo.limit.begin).exec(`limit ${l} 1`)?.[2], l, `limit ${l}`);
  const expectWords = repo.expect.patterns.map((p: { match?: string }) => p.match ?? '').join('\n');
  for (const w of EXPECT_WORDS) assert.ok(expectWords.includes(w), `expect word ${w}`);
  const stopRule = repo.expect.patterns.find((p: { match?: string }) => p.match?.includes('(stop)'));
  for (const r of STOP_REASONS) assert.equal(new RegExp(stopRule.match).exec(`stop ${r}`)?.[2], r, `stop reason ${r}`);
  const stateRule = repo.expect.patterns.find((p: { match?: string }) => p.match?.includes('(state)'));
  for (const s of IO_STATES) assert.ok(new RegExp(stateRule.match).test(`state ${s}`) && new RegExp(stateRule.match).exec(`state ${s}`)?.[2] === s, `state ${s}`);
});

test('package.json contributes the language, its configuration and both grammars', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'fltsim');
  assert.deepEqual(lang.extensions, ['.fltsim']);
  const config = JSON.parse(readFileSync(lang.configuration, 'utf8'));
  assert.equal(config.comments.lineComment, '//');
  const grammars = pkg.contributes.grammars;
  assert.deepEqual(grammars.find((g: { language?: string }) => g.language === 'fltsim').scopeName, 'source.fltsim');
  const injection = grammars.find((g: { injectTo?: string[] }) => g.injectTo);
  assert.deepEqual(injection.injectTo, ['source.c', 'source.cpp']);
  assert.equal(JSON.parse(readFileSync(injection.path, 'utf8')).scopeName, injection.scopeName);
});
