// The C prelude and the engine describe the same kernel: the constants C code compares against are
// the engine's values, and the objects the engine hands to C have the fields the C structs declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, flt, STATUS, Simulation, type FltCallbackData } from '../../../engine';
import { loadC } from '../interp/harness';
import { compilePrelude } from '../../../engine/c/prelude/compiled';
import type { StructType } from '../../../engine/c/types';
import { memberFields } from '../../../engine/interp/memory';

const TABLES: [string, Record<string, number>, (key: string) => string][] = [
  ['IRP_MJ', flt.IRP_MJ as unknown as Record<string, number>, (k) => `IRP_MJ_${k}`],
  ['FLTFL_CALLBACK_DATA', flt.FLTFL_CALLBACK_DATA as unknown as Record<string, number>, (k) => `FLTFL_CALLBACK_DATA_${k}`],
  ['FLT_CONTEXT', flt.FLT_CONTEXT as unknown as Record<string, number>, (k) => (k === 'END' ? 'FLT_CONTEXT_END' : k === 'ALL' ? 'FLT_ALL_CONTEXTS' : `FLT_${k}_CONTEXT`)],
  ['IRP_FLAGS', flt.IRP_FLAGS as unknown as Record<string, number>, (k) => k],
];

test('every engine constant has the same value under its WDK name in the prelude', async () => {
  const names: string[] = [];
  const expected: number[] = [];
  for (const [, table, cName] of TABLES) {
    for (const [k, v] of Object.entries(table)) {
      if (typeof v !== 'number') continue;
      names.push(cName(k));
      expected.push(v);
    }
  }
  for (const [k, v] of Object.entries(flt.FltPreopStatus)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const [k, v] of Object.entries(flt.FltPostopStatus)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const [k, v] of Object.entries(flt.WorkQueueType)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const k of ['STATUS_SUCCESS', 'STATUS_CANCELLED', 'STATUS_FLT_DELETING_OBJECT', 'STATUS_FLT_CBDQ_DISABLED'] as const) {
    names.push(k);
    expected.push(STATUS[k]);
  }
  const src = `#include <fltKernel.h>\nULONGLONG Values[] = { ${names.map((n) => `(ULONGLONG)(ULONG)(${n})`).join(', ')} };\n`;
  const h = await loadC(src);
  assert.deepEqual(h.diagnostics, []);
  const values = h.module.globals.Values as number[];
  const mismatches = names.filter((n, i) => values[i] !== (expected[i] >>> 0)).map((n) => `${n}: C ${values[names.indexOf(n)]} vs engine ${expected[names.indexOf(n)]}`);
  assert.deepEqual(mismatches, []);
  assert.ok(names.length > 60, `${names.length} constants compared`);
});

test('the callback data the engine creates has every field the C FLT_CALLBACK_DATA and FLT_IO_PARAMETER_BLOCK declare', () => {
  const prelude = compilePrelude();
  const sim = new Simulation({ seed: 1 });
  let seen: FltCallbackData | undefined;
  const f = defineFilter(sim, {
    name: 'Shape',
    operations: [{ major: flt.IRP_MJ.READ, pre: (d: FltCallbackData) => { seen = d; return flt.FltPreopStatus.FLT_PREOP_SUCCESS_NO_CALLBACK; } }],
  });
  sim.loadDriver('shape', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: '\\Device\\HarddiskVolume1\\a.txt' });
  sim.run();
  assert.ok(seen, 'the pre-read ran');
  // Members of anonymous structs and unions are held by the outer object (memberFields). A union's
  // other members alias its first (IO_STATUS_BLOCK's Pointer is its Status): typed objects hold the
  // first; byte memory (issue 18 item 4) will hold them all at one offset.
  const aliases = new Set(['Pointer']);
  const fieldsOf = (tag: string) => memberFields(prelude.structs.get(tag) as StructType).map((f) => f.name).filter((n) => !aliases.has(n));
  const missing = (obj: object, tag: string) => fieldsOf(tag).filter((f) => !(f in obj));
  assert.deepEqual(missing(seen, '_FLT_CALLBACK_DATA'), []);
  assert.deepEqual(missing(seen.Iopb, '_FLT_IO_PARAMETER_BLOCK'), []);
  assert.deepEqual(missing(seen.IoStatus, '_IO_STATUS_BLOCK'), []);
  const readMember = ((prelude.structs.get('_FLT_PARAMETERS') as StructType).fields ?? []).find((f) => f.name === 'Read')!.type as StructType;
  assert.deepEqual(memberFields(readMember).map((f) => f.name).filter((f) => !(f in (seen!.Iopb.Parameters as { Read: object }).Read)), []);
  assert.deepEqual(missing(seen.Iopb.TargetFileObject as object, '_FILE_OBJECT').filter((f) => ['FileName', 'Flags', 'FsContext', 'FsContext2'].includes(f)), []);
});
