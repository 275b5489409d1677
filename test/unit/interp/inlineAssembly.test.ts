// x86 inline assembly (`__asm { … }`, `_asm { … }`) in a driver: named as such, with what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

test('an __asm or _asm block is reported as inline assembly at its line, not as unreadable C', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG stamp(void)
{
\t__asm {
\t\trdtsc;
\t}
\treturn 0;
}
VOID unprotect(void)
{
\t_asm
\t{
\t\tCLI
\t}
}
`);
  const asm = h.diagnostics.filter((d) => d.includes('inline assembly'));
  assert.equal(asm.length, 2, h.diagnostics.join('\n'));
  assert.match(asm[0]!, /^5: inline assembly \('__asm.*'\) cannot run: MSVC accepts __asm in 32-bit x86 drivers only/);
  assert.match(asm[1]!, /^12: inline assembly/);
  assert.ok(h.diagnostics.every((d) => !d.includes('could not read')), h.diagnostics.join('\n'));
});
