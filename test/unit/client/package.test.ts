/**
 * What the vsix will hold, from `vsce ls` (the packager's own file selection, no zip needed): the
 * bundles, wasm, grammars, samples, walkthrough media and docs — and no sources or tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function vsceList(): string[] {
  const res = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, `vsce ls failed: ${res.stderr}`);
  return res.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

test('the vsix holds what the extension needs and nothing from sources or tests', () => {
  assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/ is missing: run "npm run build" first');
  const files = vsceList();
  const set = new Set(files);

  const forbidden = files.filter((f) =>
    f.startsWith('test/') || f.startsWith('engine/') || f.startsWith('scripts/') || f.startsWith('node_modules/') ||
    (f.startsWith('extension/') && !f.startsWith('extension/walkthroughs/')) ||
    f.endsWith('.ts') || f.endsWith('.map') || f.endsWith('.vsix') || f.startsWith('.'));
  assert.deepEqual(forbidden, []);

  const required = [
    'package.json', 'README.md', 'LICENSE', 'language-configuration.fltsim.json',
    'dist/extension.js', 'dist/debugAdapter.js', 'dist/server.js', 'dist/cli.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-c.wasm',
    ...pkg.contributes.grammars.map((g: { path: string }) => g.path.replace(/^\.\//, '')),
    ...pkg.contributes.walkthroughs.flatMap((w: any) => w.steps.map((s: any) => s.media.markdown)),
    'samples/lint-demo/buggy.c',
  ];
  assert.deepEqual(required.filter((f) => !set.has(f)), []);
  assert.ok(files.some((f) => /^samples\/[^/]+\/[^/]+\.fltsim$/.test(f)), 'no sample scenario in the package');
  if (existsSync(join(root, 'docs', 'rules'))) assert.ok(files.some((f) => /^docs\/rules\/[a-z0-9-]+\.md$/.test(f)), 'docs/rules exists but is not packaged');
});
