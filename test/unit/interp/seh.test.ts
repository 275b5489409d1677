/**
 * Structured exceptions in interpreted C (engine/interp/seh.ts): raising, filters, handlers,
 * __finally on the way out, across C calls, and the bug check when nobody handles one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';
import { STATUS } from '../../../engine/kernel/status';

const SOURCE = `
#include <ntddk.h>
int Trail[16];
int TrailLength;
void Mark(int v) { Trail[TrailLength++] = v; }
int TrailAt(int i) { return Trail[i]; }

/* Raises from a callee: the caller's handler gets the status. */
void Thrower(NTSTATUS s) { Mark(1); ExRaiseStatus(s); Mark(99); }
NTSTATUS CatchFromCallee(void) {
  NTSTATUS code = 0;
  __try { Thrower(STATUS_INSUFFICIENT_RESOURCES); Mark(98); }
  __except (EXCEPTION_EXECUTE_HANDLER) { code = GetExceptionCode(); Mark(2); }
  return code;
}

/* The filter is evaluated before the inner __finally runs; the finally runs before the handler. */
int Order(void) {
  TrailLength = 0;
  __try {
    __try { Mark(1); ExRaiseAccessViolation(); }
    __finally { Mark(3); }
  }
  __except (Mark(2), EXCEPTION_EXECUTE_HANDLER) { Mark(4); }
  return TrailLength;
}

/* CONTINUE_SEARCH passes the exception to the next handler out. */
int Filter(NTSTATUS code, NTSTATUS wanted) { return code == wanted ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH; }
int Search(void) {
  int where = 0;
  __try {
    __try { ExRaiseStatus(STATUS_INVALID_PARAMETER); }
    __except (Filter(GetExceptionCode(), STATUS_ACCESS_DENIED)) { where = 1; }
  }
  __except (Filter(GetExceptionCode(), STATUS_INVALID_PARAMETER)) { where = 2; }
  return where;
}

/* GetExceptionInformation gives the record, as a helper filter reads it. */
int RecordFilter(PEXCEPTION_POINTERS p, NTSTATUS *out) {
  *out = p->ExceptionRecord->ExceptionCode;
  return p->ExceptionRecord->ExceptionFlags == EXCEPTION_NONCONTINUABLE ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}
NTSTATUS Information(void) {
  NTSTATUS seen = 0;
  __try { ExRaiseStatus(STATUS_NO_MEMORY); }
  __except (RecordFilter(GetExceptionInformation(), &seen)) { }
  return seen;
}

/* An access through a bad user address inside __try is an access violation the handler takes. */
NTSTATUS BadUserAddress(void) {
  NTSTATUS code = 0;
  volatile ULONG *p = (ULONG *)(ULONG_PTR)0x10000000;
  __try { *p = 5; }
  __except (EXCEPTION_EXECUTE_HANDLER) { code = GetExceptionCode(); }
  return code;
}

/* __leave ends the body normally: the finally sees no abnormal termination. */
int Leave(void) {
  int r = 0;
  __try { r = 1; __leave; r = 2; }
  __finally { r += AbnormalTermination() ? 100 : 10; }
  return r;
}
int ReturnThroughFinally(void) {
  TrailLength = 0;
  __try { return 7; }
  __finally { Mark(AbnormalTermination() ? 1 : 0); }
  return 0;
}

/* Asking to continue an exception ExRaiseStatus raised gives STATUS_NONCONTINUABLE_EXCEPTION. */
NTSTATUS Continue(void) {
  NTSTATUS code = 0;
  __try {
    __try { ExRaiseStatus(STATUS_UNSUCCESSFUL); }
    __except (EXCEPTION_CONTINUE_EXECUTION) { }
  }
  __except (EXCEPTION_EXECUTE_HANDLER) { code = GetExceptionCode(); }
  return code;
}

/* Nobody handles it: the finally does not run, the call stops with the bug check. */
void Unhandled(void) {
  TrailLength = 0;
  __try { ExRaiseStatus(STATUS_INVALID_PARAMETER); }
  __finally { Mark(1); }
}
void UnhandledViolation(void) {
  __try { *(volatile ULONG *)(ULONG_PTR)0x20000000 = 1; }
  __except (EXCEPTION_CONTINUE_SEARCH) { }
}
/* A bad kernel address is no exception: the handler never runs. */
int KernelFault(void) {
  int r = 0;
  __try { *(volatile ULONG *)(ULONG_PTR)0xFFFF900000000000ULL = 1; }
  __except (EXCEPTION_EXECUTE_HANDLER) { r = 1; }
  return r;
}
`;

test('ExRaiseStatus in a callee reaches the handler of its caller; GetExceptionCode gives its status', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(Number(h.call('CatchFromCallee')) >>> 0, STATUS.STATUS_INSUFFICIENT_RESOURCES);
  assert.deepEqual([h.call('TrailAt', 0), h.call('TrailAt', 1)], [1, 2]);
});

test('the filter runs before the inner __finally, and the finally before the handler (as Windows dispatches)', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('Order'), 4);
  assert.deepEqual([0, 1, 2, 3].map((i) => h.call('TrailAt', i)), [1, 2, 3, 4]);
});

test('EXCEPTION_CONTINUE_SEARCH hands the exception outwards; GetExceptionInformation gives the record', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('Search'), 2);
  assert.equal(Number(h.call('Information')) >>> 0, STATUS.STATUS_NO_MEMORY);
});

test('a store through an unmapped user address inside __try is STATUS_ACCESS_VIOLATION, handled', async () => {
  const h = await loadC(SOURCE);
  assert.equal(Number(h.call('BadUserAddress')) >>> 0, STATUS.STATUS_ACCESS_VIOLATION);
});

test('__leave is a normal end of the body; return through __finally is abnormal termination', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('Leave'), 11);
  assert.equal(h.call('ReturnThroughFinally'), 7);
  assert.equal(h.call('TrailAt', 0), 1);
});

test('EXCEPTION_CONTINUE_EXECUTION for a noncontinuable exception raises STATUS_NONCONTINUABLE_EXCEPTION', async () => {
  const h = await loadC(SOURCE);
  assert.equal(Number(h.call('Continue')) >>> 0, STATUS.STATUS_NONCONTINUABLE_EXCEPTION);
});

test('an exception nobody handles stops the run as bug check 0x1E at the raise, and no __finally runs', async () => {
  const h = await loadC(SOURCE);
  assert.throws(() => h.call('Unhandled'), (e: unknown) => {
    assert.ok(e instanceof CRuntimeError);
    assert.equal(e.kind, 'unhandled-exception');
    assert.match(e.message, /^STATUS_INVALID_PARAMETER raised: ExRaiseStatus\(STATUS_INVALID_PARAMETER\) in Unhandled, and no __except handler took it: Windows stops with bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED/);
    assert.equal(e.loc?.line, SOURCE.split('\n').lastIndexOf('  __try { ExRaiseStatus(STATUS_INVALID_PARAMETER); }') + 1);
    return true;
  });
  assert.equal(h.call('TrailAt', 0), 0, 'the __finally did not run');
  // An access violation nobody takes stops with the memory error the access made.
  assert.throws(() => h.call('UnhandledViolation'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'bad-pointer' && /address 0x0000000020000000/.test(e.message));
  // A bad kernel address is a bug check at once: no handler runs.
  assert.throws(() => h.call('KernelFault'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'bad-pointer');
});
