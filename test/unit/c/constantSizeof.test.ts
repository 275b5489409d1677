// `sizeof` of a declared variable is an integer constant: drivers size one table by another
// (`#define COUNT (sizeof(Busy)/sizeof(Busy[0]))` then `CHAR Buffers[COUNT][64];`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRunDiagnostic, prepareScenarioText, runScenario } from '../../../engine';
import { memoryFiles } from '../files/memoryFiles';
import { compileC, loadC } from '../interp/harness';

test('an array sized by sizeof of another array (its length from the initializer) and its element', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'ULONG Busy[] = { 0, 0, 0, 0, 0 };',
    '#define COUNT (sizeof(Busy) / sizeof(Busy[0]))',
    'CHAR Buffers[COUNT][64];',
    'typedef struct _PAIR { USHORT A; ULONG B[3]; } PAIR;',
    'PAIR Pairs[2];',
    'UCHAR ByMember[sizeof(Pairs[0].B) + sizeof(*Pairs)];',
    'ULONG Run(void) { ULONG local[7]; CHAR inner[sizeof local / sizeof *local]; return sizeof(Buffers) * 1000 + sizeof(ByMember) * 10 + sizeof(inner) - 7; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 5 * 64 * 1000 + (12 + 16) * 10);
});

test('sizeof of a name that is not a variable stays an error at its line', async () => {
  const unit = await compileC([
    '#include <fltKernel.h>',
    'ULONG Run(void);',
    'CHAR Buffers[sizeof(Run) + 1];',
  ].join('\n'));
  assert.match(unit.diagnostics.map((d) => `${d.loc.line}: ${d.message}`).join('\n'), /3: .*array size 'sizeof\(Run\) \+ 1' is not a constant/);
});

test('in C++ too: a global table sized by sizeof of another global', async () => {
  const files = memoryFiles({
    '/d/d.cpp': [
      '#include <fltKernel.h>',
      'ULONG Busy[] = { 0, 0, 0 };',
      '#define COUNT (sizeof(Busy) / sizeof(Busy[0]))',
      'CHAR Buffers[COUNT][16];',
      'extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {',
      '  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);',
      '  DbgPrint("%d %d", (int)sizeof(Buffers), (int)COUNT);',
      '  return STATUS_SUCCESS;',
      '}',
    ].join('\n'),
  });
  const prepared = await prepareScenarioText('/d/s.fltsim', 'driver "d.cpp"\n', files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map(formatRunDiagnostic).join('\n'));
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  assert.equal(report.error, null);
  assert.deepEqual(report.output, ['48 3']);
});
