/**
 * npm run test:electron — the extension's in-host suite (suite.ts) under desktop VS Code via
 * @vscode/test-electron, for machines that have VS Code or may download it.
 *
 * It never touches the network unless asked:
 *   VSCODE_EXECUTABLE=/path/to/code      use that VS Code binary;
 *   a cached build in .e2e-cache/vscode-test/vscode-<platform>-<FLTSIM_VSCODE_VERSION>/  use it;
 *   FLTSIM_ELECTRON_DOWNLOAD=1           download that pinned version first (a pinned version also
 *                                        keeps test-electron from asking the update server later).
 * Otherwise it prints why it skipped and exits 0. On Linux without a display, run it under xvfb-run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = resolve(__dirname, '..', '..');
const version = process.env.FLTSIM_VSCODE_VERSION ?? '1.85.2'; // the engines.vscode minimum
const cachePath = join(root, '.e2e-cache', 'vscode-test');
const platform = process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'win32-x64-archive' : 'linux-x64';

async function findVSCode(): Promise<string | undefined> {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  const cached = existsSync(join(cachePath, `vscode-${platform}-${version}`));
  if (!cached && process.env.FLTSIM_ELECTRON_DOWNLOAD !== '1') return undefined;
  mkdirSync(cachePath, { recursive: true });
  return downloadAndUnzipVSCode({ version, cachePath });
}

async function main(): Promise<number> {
  const vscodeExecutablePath = await findVSCode();
  if (!vscodeExecutablePath) {
    console.log(`test:electron: SKIPPED — no VS Code here: VSCODE_EXECUTABLE is unset and no cached build of ${version} exists in ${cachePath}.`);
    console.log('test:electron: set VSCODE_EXECUTABLE, or FLTSIM_ELECTRON_DOWNLOAD=1 on a machine that may download VS Code. (Here, npm run test:e2e runs the extension in code-server instead.)');
    return 0;
  }
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    console.error('test:electron: dist/extension.js is missing; run "npm run build" first.');
    return 2;
  }
  const outDir = join(root, '.e2e-cache', 'electron');
  await esbuild.build({
    entryPoints: [join(__dirname, 'suite.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
    external: ['vscode'], outfile: join(outDir, 'suite.js'), logLevel: 'warning',
  });
  const code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(outDir, 'suite.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', join(__dirname, 'workspace')],
  });
  console.log(`test:electron: VS Code exited with ${code}`);
  return code;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`test:electron: ${(err as Error).message}`);
  process.exit(1);
});
