// The language server's URIs and paths under posix and win32 rules. The win32 run is VS Code on
// Windows: URIs like file:///c%3A/split/OPS.c, whose path differs in case from the file on disk,
// still find the file's driver project, point related locations at the documents the editor has
// open, and follow edits across files however each is spelled. On Linux the server sees Windows
// through FLTSIM_TEST_WINDOWS_ROOT (extension/shared/simulatedWindows.ts). Needs `npm run build`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SIMULATED_WINDOWS_ROOT } from '../../extension/shared/simulatedWindows';
import { FLAVORS } from '../unit/files/flavors';
import { LspClient, range } from './lspHelpers';

const SPLIT = path.join(__dirname, '..', 'fixtures', 'projects', 'repo', 'split');
const at = (d: { code?: string | number; range: { start: { line: number; character: number } } }) => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

for (const f of FLAVORS) {
  describe(`language server paths (${f.name} paths)`, () => {
    test('a driver project is found, related locations point at the open documents, and edits reach the other files, however the URIs spell the paths', async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'fltsim-lsp-paths-'));
      cpSync(SPLIT, path.join(root, 'Split'), { recursive: true });
      // The paths the client knows: C:\Split\… on the simulated volume, the real folder on posix.
      const disk = (name: string) => (f.name === 'win32' ? `C:\\Split\\${name}` : path.join(root, 'Split', name));
      // How VS Code on Windows may spell them: a lower-case drive letter and names in another case.
      const client = (name: string) => (f.name === 'win32' ? `c:\\split\\${name.toUpperCase()}` : disk(name));
      const lsp = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, env: { [SIMULATED_WINDOWS_ROOT]: f.name === 'win32' ? root : '' } });
      try {
        const ops = f.rules.toUri(client('ops.c'));
        if (f.name === 'win32') assert.equal(ops, 'file:///c%3A/split/OPS.C');
        let since = lsp.mark();
        lsp.open(ops, 'c', readFileSync(path.join(SPLIT, 'ops.c'), 'utf8'), 1);
        const first = await lsp.diagnostics(ops, since, (p) => p.version === 1);
        assert.deepEqual(first.diagnostics.map(at), ['preop-callback-without-postop@16:8'], 'the registration in reg.c was read: ops.c belongs to split.vcxproj');
        assert.deepEqual(first.diagnostics[0]!.relatedInformation?.map((r) => [r.location.uri, r.location.range]), [[f.rules.toUri(disk('reg.c')), range(14, 4, 14, 42)]], 'reg.c is not open: its URI from its path on disk');

        // Open reg.c under yet another spelling; a change to it re-checks ops.c, whose finding goes.
        const reg = f.rules.toUri(f.name === 'win32' ? 'C:/SPLIT/Reg.c' : disk('reg.c'));
        const regText = readFileSync(path.join(SPLIT, 'reg.c'), 'utf8');
        since = lsp.mark();
        lsp.open(reg, 'c', regText, 1);
        assert.deepEqual((await lsp.diagnostics(reg, since, (p) => p.version === 1)).diagnostics, []);
        const line = regText.split('\n').findIndex((l) => l.includes('{ IRP_MJ_READ, 0, SplitPreRead, NULL }'));
        since = lsp.mark();
        lsp.change(reg, 2, [{ range: range(line, 4, line, 42), text: '{ IRP_MJ_READ, 0, SplitPreRead, SplitPostRead }' }]);
        assert.deepEqual((await lsp.diagnostics(ops, since, (p) => p.diagnostics.length === 0)).diagnostics, []);
        // And back: the finding returns, its related location now the document the editor has open.
        since = lsp.mark();
        lsp.change(reg, 3, [{ range: range(line, 4, line, 51), text: '{ IRP_MJ_READ, 0, SplitPreRead, NULL }' }]);
        const back = await lsp.diagnostics(ops, since, (p) => p.diagnostics.length === 1);
        assert.deepEqual(back.diagnostics[0]!.relatedInformation?.map((r) => r.location.uri), [reg]);

        // A scenario naming the project in another case: Windows finds it; posix finds it and warns.
        const scenario = f.rules.toUri(f.name === 'win32' ? 'c:\\split.fltsim' : path.join(root, 'split.fltsim'));
        since = lsp.mark();
        lsp.open(scenario, 'fltsim', 'driver "split\\Split.VCXPROJ"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt"\n', 1);
        const checked = await lsp.diagnostics(scenario, since);
        assert.deepEqual(checked.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), f.rules.ignoresCase ? [] : [['file-case', 2, 0, 7]]);
      } finally {
        await lsp.stop();
      }
    });
  });
}
