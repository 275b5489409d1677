// The extension as a user has it installed: dist/ under folders whose names have spaces, started by
// the editor's runtime with no Node on PATH (a Windows machine without Node installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** dist/ copied to `<temp>/Program Files/fltsim ext 0.1.0/dist`; returns the extension folder. */
export function installedCopy(): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'fltsim-')), 'Program Files', 'fltsim ext 0.1.0');
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  for (const f of readdirSync('dist')) if (!f.endsWith('.map')) copyFileSync(path.join('dist', f), path.join(root, 'dist', f));
  return root;
}

/** This environment with every folder that holds a `node` executable taken off PATH (checked). */
export function envWithoutNode(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '' && !['node', 'node.exe'].some((n) => existsSync(path.join(dir, n))));
  const env = { ...process.env, PATH: keep.join(path.delimiter), ...extra };
  const probe = spawnSync('node', ['--version'], { env });
  assert.ok(probe.error, 'node must not be found on the stripped PATH');
  return env;
}
