// One build for everything that ships: four bundles, the timeline webview's script and style, and the wasm
// files the C front end loads.
//   node scripts/build.mjs               dev build with source maps
//   node scripts/build.mjs --production  minified, no source maps (what the vsix holds)
//   node scripts/build.mjs --watch       rebuild on change
//   node scripts/build.mjs --bench-bundle lint|engine|explore FILE
//                                        only the part a benchmark measures, bundled and minified
//                                        as the vsix ships it: the linter and the C parser
//                                        (test/bench/lint.bench.ts), the simulation engine
//                                        (test/bench/engine.bench.ts), or scenario preparation
//                                        and exploration (test/bench/explore.bench.ts);
//                                        add --no-minify for a bundle to profile
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

const entries = [
  { in: 'extension/client/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'extension/debug/adapterMain.ts', out: 'debugAdapter', external: [] },
  { in: 'extension/server/serverMain.ts', out: 'server', external: [] },
  { in: 'extension/cli/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
];

const wasm = [
  [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
  [join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'), 'tree-sitter-c.wasm'],
  [join(dirname(require.resolve('tree-sitter-cpp/package.json')), 'tree-sitter-cpp.wasm'), 'tree-sitter-cpp.wasm'],
];

// The bundles are CommonJS; web-tree-sitter's ESM build reads import.meta.url, which CJS lacks,
// so bundle its CommonJS build instead.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

/** What each --bench-bundle holds: the modules its benchmark imports, and nothing else. */
const benchEntries = {
  lint: "export * from './engine/lint';\nexport { createCParser, loadCLanguage } from './engine/c/treeSitter';\n",
  engine: [
    "export { Simulation } from './engine/sim';",
    "export { defineFilter } from './engine/fltmgr/define';",
    "export * as flt from './engine/fltmgr/constants';",
    "export { STATUS } from './engine/kernel/status';",
    '',
  ].join('\n'),
  explore: "export { prepareScenario, ScenarioExplorer, ScenarioTarget, DepthFirstSearch } from './engine';\nexport { nodeFiles } from './extension/shared/nodeFiles';\n",
};

// Every bundle finds the wasm files beside itself (engine/c/treeSitter.ts), never in node_modules,
// which the vsix does not ship.
const bundleDefines = { FLTSIM_BUNDLED: 'true' };

const benchAt = process.argv.indexOf('--bench-bundle');
if (benchAt >= 0) {
  const [name, outfile] = process.argv.slice(benchAt + 1, benchAt + 3);
  if (!(name in benchEntries) || !outfile) {
    console.error(`build: --bench-bundle needs one of ${Object.keys(benchEntries).join(', ')} and an output file`);
    process.exit(2);
  }
  await esbuild.build({
    stdin: { contents: benchEntries[name], resolveDir: process.cwd(), sourcefile: `${name}-bench-entry.ts`, loader: 'ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    minify: !process.argv.includes('--no-minify'),
    define: bundleDefines,
    logLevel: 'warning',
    plugins: [webTreeSitterCjs],
  });
  for (const [from, to] of wasm) copyFileSync(from, join(dirname(outfile), to));
  process.exit(0);
}

mkdirSync('dist', { recursive: true });
for (const [from, to] of wasm) copyFileSync(from, join('dist', to));
copyFileSync('extension/webview/timeline/timeline.css', join('dist', 'timelineView.css'));

// The timeline view runs in a webview (a browser page): its own bundle, no Node.
const webviewContext = await esbuild.context({
  entryPoints: { timelineView: 'extension/webview/timeline/main.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
});

const contexts = await Promise.all(entries.map((e) => esbuild.context({
  entryPoints: { [e.out]: e.in },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: e.external,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  define: bundleDefines,
  logLevel: 'warning',
  banner: e.banner ? { js: e.banner } : undefined,
  plugins: [webTreeSitterCjs],
})));

contexts.push(webviewContext);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('fltsim build: watching for changes');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  chmodSync('dist/cli.js', 0o755);
  // The compiled prelude, so fltsim's processes start without compiling it (engine/c/prelude/snapshot.ts).
  const snap = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/write-prelude-snapshot.ts'], { stdio: 'inherit' });
  if (snap.status !== 0) throw new Error('writing dist/prelude.json failed');
  console.log(`fltsim build: ${entries.length} bundles and the timeline view in dist/ (${production ? 'production' : 'dev'})`);
}
