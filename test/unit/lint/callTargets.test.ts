// Calls in function bodies find the method the C++ names when two classes share the method's
// name: `this->`, `obj.`/`p->` by the declared class, `Class::`, and a bare call inside its class.
// The facts that flow along calls (here the IRQL a caller passes on) reach that method only.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText } from '../../../engine';

before(() => initLinter());

const CLASSES = `#include <fltKernel.h>
KSPIN_LOCK gLock;
KEVENT gEvent;
class Waiter { public: void Run(); void Step(); };
class Counter { public: void Run(); void Step(); LONG n; };
void Waiter::Run() { KeWaitForSingleObject(&gEvent, Executive, KernelMode, FALSE, NULL); }
void Counter::Run() { InterlockedIncrement(&n); }
`;

/** Which `Run` (by the line of its wait) the DISPATCH_LEVEL of the caller below reached. */
function runUnderLock(call: string, extra = ''): string[] {
  const text = `${CLASSES}${extra}
_IRQL_requires_max_(PASSIVE_LEVEL)
void Tick(Waiter &w, Counter *c)
{
    KIRQL old;
    KeAcquireSpinLock(&gLock, &old);
    ${call};
    KeReleaseSpinLock(&gLock, old);
}
`;
  return lintText(text, {}, 'cpp').findings.filter((f) => f.ruleId === 'irql-above-bound').map((f) => `${f.range.start.line + 1} ${/via Tick/.test(f.message) ? 'via Tick' : f.message}`);
}

test('obj.Method(): the class the object is declared with', () => {
  assert.deepEqual(runUnderLock('w.Run()'), ['6 via Tick'], 'Waiter::Run waits at DISPATCH_LEVEL');
  assert.deepEqual(runUnderLock('c->Run()'), [], 'Counter::Run only increments');
});

test('Class::Method(): the written qualification', () => {
  assert.deepEqual(runUnderLock('Waiter::Run()'), ['6 via Tick']);
  assert.deepEqual(runUnderLock('Counter::Run()'), []);
});

test('this->Method() and a bare Method() inside a method: its own class', () => {
  const steps = `_IRQL_requires_max_(PASSIVE_LEVEL)
void Waiter::Step() { KIRQL old; KeAcquireSpinLock(&gLock, &old); this->Run(); KeReleaseSpinLock(&gLock, old); }
_IRQL_requires_max_(PASSIVE_LEVEL)
void Counter::Step() { KIRQL old; KeAcquireSpinLock(&gLock, &old); Run(); KeReleaseSpinLock(&gLock, old); }
`;
  const text = `${CLASSES}${steps}`;
  const found = lintText(text, {}, 'cpp').findings.filter((f) => f.ruleId === 'irql-above-bound');
  assert.deepEqual(found.map((f) => [f.range.start.line + 1, /via Waiter::Step/.test(f.message)]), [[6, true]], 'Waiter::Step reaches Waiter::Run only; Counter::Step reaches Counter::Run');
});

test('a call the C++ does not decide stays unresolved: no guess', () => {
  // `p` is declared with a typedef name no class has: neither Run is picked.
  assert.deepEqual(runUnderLock('((Waiter *)0)->Run()'), []);
});

// Lookups a rule makes of the callee itself go through the same choice: its IRQL annotation and
// its lock summary are those of the method the call names.
test("a callee's own IRQL annotation is the named method's", () => {
  const text = `#include <fltKernel.h>
KSPIN_LOCK gLock;
class Pager { public: void Flush(); };
class Cache { public: void Flush(); };
_IRQL_requires_max_(PASSIVE_LEVEL) void Pager::Flush() { }
void Cache::Flush() { }
_IRQL_requires_max_(PASSIVE_LEVEL)
void Tick(Pager &p, Cache &c)
{
    KIRQL old;
    KeAcquireSpinLock(&gLock, &old);
    CALL;
    KeReleaseSpinLock(&gLock, old);
}
`;
  const found = (call: string) => lintText(text.replace('CALL', call), {}, 'cpp').findings.filter((f) => f.ruleId === 'irql-above-bound').map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${/annotated _IRQL_requires_max_\(PASSIVE_LEVEL\)/.test(f.message)}`);
  assert.deepEqual(found('p.Flush()'), ['12:5 true']);
  assert.deepEqual(found('Pager::Flush()'), ['12:5 true']);
  assert.deepEqual(found('c.Flush()'), []);
});

test("a helper's lock summary is the named method's: only the one that returns holding the spin lock raises the caller", () => {
  const text = `#include <fltKernel.h>
KSPIN_LOCK gLock;
KIRQL gOld;
class Guarded { public: void Enter(); };
class Plain { public: void Enter(); };
void Guarded::Enter() { KeAcquireSpinLock(&gLock, &gOld); }
void Plain::Enter() { }
_IRQL_requires_max_(PASSIVE_LEVEL)
void Work(Guarded &g, Plain &p)
{
    CALL;
    ZwClose(NULL);
}
`;
  const found = (call: string) => lintText(text.replace('CALL', call), {}, 'cpp').findings.filter((f) => f.ruleId === 'irql-above-bound').map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
  assert.deepEqual(found('g.Enter()'), ['12 irql-above-bound']);
  assert.deepEqual(found('p.Enter()'), []);
});
