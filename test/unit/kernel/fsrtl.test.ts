// FsRtl name matching (issue 12, item 7): the wildcards of directory search expressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameInExpression } from '../../../engine/kernel/fsrtl';
import { prepareScenarioText } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver } from '../worldRun';

test('* and ? match runs and single characters; literal characters must match exactly', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'anything.txt', true],
    ['*.TXT', 'REPORT.TXT', true],
    ['*.TXT', 'REPORT.TXT.BAK', false],
    ['A?C', 'ABC', true],
    ['A?C', 'AC', false],
    ['*A*B*', 'XXAYYBZZ', true],
    ['*A*B*', 'XXBYYAZZ', false],
    ['', '', true],
    ['X', '', false],
  ];
  for (const [e, n, want] of cases) assert.equal(nameInExpression(e, n), want, `${e} vs ${n}`);
});

test('DOS wildcards: < stops before the last dot, > matches one character or none before a dot, " matches a dot or the end', () => {
  const cases: [string, string, boolean][] = [
    ['<.TXT', 'A.B.TXT', true],
    ['<', 'NAME', true],
    ['<.', 'NAME.', true],
    ['<"TXT', 'A.TXT', true],
    ['>>>.TXT', 'AB.TXT', true],
    ['>>>.TXT', 'ABCD.TXT', false],
    ['NAME"', 'NAME', true],
    ['NAME"', 'NAMEX', false],
  ];
  for (const [e, n, want] of cases) assert.equal(nameInExpression(e, n), want, `${e} vs ${n}`);
});


test('from C: FsRtlIsNameInExpression upcases the name with IgnoreCase, and a lower-case expression is invalid-parameter at its line', async () => {
  const c = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    UNICODE_STRING expr = RTL_CONSTANT_STRING(L"*.TXT");
    UNICODE_STRING lower = RTL_CONSTANT_STRING(L"*.txt");
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"report.txt");
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("ci=%u cs=%u wild=%u\\n", FsRtlIsNameInExpression(&expr, &name, TRUE, NULL), FsRtlIsNameInExpression(&expr, &name, FALSE, NULL), FsRtlDoesNameContainWildCards(&expr));
    DbgPrint("lower=%u\\n", FsRtlIsNameInExpression(&lower, &name, TRUE, NULL));
    return STATUS_UNSUCCESSFUL;
}
`;
  const files = oneDriver('n.c', c);
  const prepared = await prepareScenarioText('/t/n.fltsim', 'driver "n.c"\n', files);
  assert.ok(prepared.ok);
  const world = new World(prepared.prepared, {});
  world.run();
  assert.deepEqual(world.sim.output, ['ci=1 cs=0 wild=1', 'lower=0']);
  assert.deepEqual(world.sim.violations.map((v) => [v.rule, v.location?.line]), [['invalid-parameter', 9]]);
});
