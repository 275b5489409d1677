import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Irql, formatIrql, irqlName, parseIrql } from '../../../engine';

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
