// IRQL annotations read as a function's entry bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Irql } from '../../../../engine/kernel/irql';
import { irqlAnnotations } from '../../../../engine/lint/analysis/irqlAnnotations';

test('annotations on definitions and prototypes name their function; conditional ones are left out', () => {
  const found = irqlAnnotations([
    '_IRQL_requires_max_(APC_LEVEL)',
    'NTSTATUS Proto(_In_ PVOID p);',
    '_When_(Wait, _IRQL_requires_max_(PASSIVE_LEVEL))',
    'VOID Conditional(BOOLEAN Wait);',
    '_IRQL_requires_max_(DISPATCH_LEVEL)',
    '_IRQL_requires_same_',
    'VOID',
    'Defined(',
    '    _In_ PVOID Context',
    '    )',
    '{ }',
    '__drv_maxIRQL(PASSIVE_LEVEL) VOID Old(VOID);',
    '_IRQL_requires_(PASSIVE_LEVEL) VOID Twice(VOID);',
    '_IRQL_requires_max_(APC_LEVEL) VOID Twice(VOID) { }',
  ].join('\n'));
  assert.deepEqual([...found].map(([n, a]) => [n, a.level, a.text]), [
    ['Proto', Irql.APC_LEVEL, '_IRQL_requires_max_(APC_LEVEL)'],
    ['Defined', Irql.DISPATCH_LEVEL, '_IRQL_requires_max_(DISPATCH_LEVEL)'],
    ['Old', Irql.PASSIVE_LEVEL, '__drv_maxIRQL(PASSIVE_LEVEL)'],
    ['Twice', Irql.PASSIVE_LEVEL, '_IRQL_requires_(PASSIVE_LEVEL)'],
  ]);
});

test('a C++ method defined out of its class keeps its class in the key', () => {
  const found = irqlAnnotations('_IRQL_requires_max_(DISPATCH_LEVEL)\nvoid FastLock :: Init()\n{ }\n_IRQL_requires_(PASSIVE_LEVEL) void Plain(void);');
  assert.deepEqual([...found.keys()], ['FastLock::Init', 'Plain']);
});
