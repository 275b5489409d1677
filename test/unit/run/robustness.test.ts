// Whatever C a user hands over, a run ends in diagnostics, a report or a clear C error — never an
// internal exception. fast-check generates driver texts from real C fragments, garbled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CRuntimeError, prepareScenarioText, runScenario, pathRules, type ProjectFiles } from '../../../engine';

const FRAGMENTS = [
  '#include <fltKernel.h>\n',
  'NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {',
  '}',
  '{',
  'return STATUS_SUCCESS;',
  'int x = 1;',
  'x = x / 0;',
  'PVOID p = NULL;',
  '*(PULONG)p = 1;',
  'for (;;) {',
  'while (x) x--;',
  'LIST_ENTRY h; InitializeListHead(&h); RemoveHeadList(&h);',
  'UNICODE_STRING s; RtlInitUnicodeString(&s, L"a");',
  'DbgPrint("%d %s %wZ\\n", 1, "x", &s);',
  'typedef struct _T { int a; struct _T *n; } T;',
  'T t = { 1, &t };',
  'switch (x) { case 1: break; default: ; }',
  'goto L; L: ;',
  '#define M(a) ((a) + 1)\n',
  'x = M(2);',
  'FltRegisterFilter(D, NULL, NULL);',
  'KeAcquireSpinLock(NULL, NULL);',
  'CONTAINING_RECORD(p, T, n);',
  'UnknownRoutine(1, 2);',
  // Byte memory: casts, copies and arithmetic that leave an object or reinterpret it.
  'UCHAR b[8]; RtlCopyMemory(b, &t, sizeof(t));',
  '((PUCHAR)&t)[40] = 1;',
  'x = (int)((PCHAR)&t - (PCHAR)p);',
  'ULONG_PTR u = (ULONG_PTR)&x; *(PULONG)u = 2;',
  'RtlFillMemory(&t, sizeof(t) + 1, 0xAB);',
  'x = *(PLONG)((PUCHAR)&t + 6);',
  '#if 1\n', '#endif\n', '#else\n',
  '"unterminated', ')', '(', ';', '/*', '*/', '->', '[3]',
];

const files = (texts: Record<string, string>): ProjectFiles => ({
  readFile: (p) => texts[p],
  paths: pathRules('posix'),
});

test('no driver text, however garbled, makes the engine throw anything but diagnostics or a C error', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 25 }), async (parts) => {
      const driver = parts.join('\n');
      const prepared = await prepareScenarioText('/s/t.fltsim', 'driver "d.c"\nio #1 read "\\Device\\HarddiskVolume1\\a" at 0\n', files({ '/s/d.c': driver }));
      if (!prepared.ok) {
        assert.ok(prepared.diagnostics.length > 0);
        for (const d of prepared.diagnostics) assert.ok(d.line >= 1 && d.message.length > 0);
        return;
      }
      try {
        const { report } = runScenario(prepared.prepared, { stepBudget: 20_000 });
        if (report.error) assert.ok(report.error.message.length > 0);
      } catch (e) {
        assert.ok(e instanceof CRuntimeError, `an internal error escaped: ${(e as Error).stack}`);
      }
    }),
    { numRuns: 150, seed: 20261123 },
  );
});

test('a scenario path written with Windows separators on a system that uses / is named, and the file meant is suggested', async () => {
  const { prepareScenario } = await import('../../../engine');
  const files: ProjectFiles = { readFile: (p) => (p === '/w/my tests/ü/a.fltsim' ? 'driver "d.c"\n' : undefined), paths: pathRules('posix') };
  const r = await prepareScenario('/w/my tests\\ü\\a.fltsim', files);
  assert.equal(r.ok, false);
  const d = r.ok ? undefined : r.diagnostics[0]!;
  assert.equal(d?.message, "cannot read the scenario file '/w/my tests\\ü\\a.fltsim'");
  assert.equal(d?.hint, "folders are separated by '/' here: did you mean '/w/my tests/ü/a.fltsim'?");
  const missing = await prepareScenario('/w/other\\b.fltsim', files);
  assert.equal(missing.ok ? undefined : missing.diagnostics[0]!.hint, 'check the path; scenario files end in .fltsim');
});
