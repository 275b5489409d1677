import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Irql, Ref, Simulation, formatIrql, irqlName, parseIrql } from '../../../engine';

test('IRQL names print as the debugger shows them', () => {
  assert.equal(formatIrql(Irql.PASSIVE_LEVEL), 'PASSIVE_LEVEL (0)');
  assert.equal(formatIrql(Irql.DISPATCH_LEVEL), 'DISPATCH_LEVEL (2)');
  assert.equal(irqlName(5), 'DIRQL(5)');
});

test('IRQL text parses by full name, short name and number', () => {
  assert.equal(parseIrql('APC_LEVEL'), Irql.APC_LEVEL);
  assert.equal(parseIrql('dispatch'), Irql.DISPATCH_LEVEL);
  assert.equal(parseIrql('0'), Irql.PASSIVE_LEVEL);
  assert.equal(parseIrql('lunch'), undefined);
  assert.equal(parseIrql('99'), undefined);
});

test('every IRQL change is an event on its thread, carrying the new level: raise, lower, spin lock, restore', () => {
  const sim = new Simulation({ seed: 1 });
  const holder = { Lock: 0 };
  const seen: { kind: string; irql: number; detail: string }[] = [];
  sim.onEvent((e) => {
    if (e.thread !== 0 && ['irql', 'lock', 'unlock', 'violation'].includes(e.kind)) seen.push({ kind: e.kind, irql: e.irql, detail: e.detail });
  });
  sim.kernel.spawn('T', 'system', 8, function* () {
    sim.api.KeInitializeSpinLock(new Ref(holder, 'Lock'));
    const old = yield* sim.api.KeAcquireSpinLock(new Ref(holder, 'Lock'));
    sim.api.KeReleaseSpinLock(new Ref(holder, 'Lock'), old);
    const before = sim.api.KeRaiseIrql(Irql.APC_LEVEL);
    sim.api.KeLowerIrql(before);
    // A callback that returns at a raised IRQL: the engine restores the level it was called at.
    yield* sim.kernel.callDriver(sim.kernel.current, () => sim.api.KeRaiseIrql(Irql.DISPATCH_LEVEL), 'Raiser', []);
  });
  sim.run();
  assert.deepEqual(seen.map((e) => [e.kind, e.irql]), [
    ['lock', 2], ['unlock', 2], ['irql', 0], ['irql', 1], ['irql', 0], ['irql', 2], ['violation', 2], ['irql', 0],
  ]);
  assert.equal(seen[2]!.detail, 'KeReleaseSpinLock DISPATCH_LEVEL -> PASSIVE_LEVEL');
  assert.equal(seen[3]!.detail, 'KeRaiseIrql PASSIVE_LEVEL -> APC_LEVEL');
  assert.match(seen[6]!.detail, /^irql-not-restored: Raiser returned at DISPATCH_LEVEL/);
  assert.equal(seen[7]!.detail, 'the simulation restores the IRQL Raiser was called at DISPATCH_LEVEL -> PASSIVE_LEVEL');
});
