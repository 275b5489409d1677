// `npm run wds` on a folder shaped like Windows-driver-samples' filesys/miniFilter, built from this
// repository's own fixtures (never Microsoft's code): one sample that runs, one that does not link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('wds writes a scenario per sample outside the repository, runs them, and prints how far each gets', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'fltsim-wds-test-'));
  try {
    const samples = path.join(work, 'checkout', 'filesys', 'miniFilter');
    cpSync(path.join(ROOT, 'test/fixtures/projects/threefile'), path.join(samples, 'threefile'), { recursive: true });
    writeFileSync(path.join(samples, 'threefile', 'README.md'), 'fixture\n');
    const twice = path.join(samples, 'twice');
    mkdirSync(twice, { recursive: true });
    writeFileSync(path.join(twice, 'README.md'), 'fixture\n');
    writeFileSync(path.join(twice, 'a.c'), '#include <fltKernel.h>\nint Same(void) { return 1; }\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return 0; }\n');
    writeFileSync(path.join(twice, 'b.c'), '#include <fltKernel.h>\nint Same(void) { return 2; }\n');
    writeFileSync(path.join(twice, 'twice.vcxproj'), '<Project><ItemGroup><ClCompile Include="a.c" /><ClCompile Include="b.c" /></ItemGroup></Project>\n');
    const out = path.join(work, 'out');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/wds.ts'), path.join(work, 'checkout'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(out, 'threefile.fltsim')) && existsSync(path.join(out, 'twice.fltsim')));
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| sample') && !l.startsWith('| ---'));
    assert.deepEqual(rows, [
      '| threefile (ThreeFile) | yes | yes | yes | yes |  |',
      "| twice | yes | no | — | — | twice/b.c:2: twice: function 'Same' is defined in two files: a.c:2 and b.c:2 |",
    ]);
    assert.equal(readFileSync(path.join(out, 'summary.md'), 'utf8').split('\n').length, 5);
    const inside = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/wds.ts'), path.join(work, 'checkout'), '--out', path.join(ROOT, 'wds-out')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(inside.status, 2);
    assert.match(inside.stderr, /is inside the repository; choose one outside it/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
