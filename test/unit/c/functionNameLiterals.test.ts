// MSVC's __FUNCTION__ is a string literal that joins the literals on either side. The C++ grammar
// reads no name after a literal (`"Shield>" __FUNCTION__ ": ..."`), so the preprocessor makes it a
// literal and the translator fills in the function's name, the class's too for a member function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp } from './cppRun';

test('C++: a literal before and after __FUNCTION__ joins it, in a function and in a member function; __FUNCTIONW__ is wide', async () => {
  const r = await runCpp(memoryFiles({
    '/d/d.cpp': entryDriver(`#define LOG(...) DbgPrint(__VA_ARGS__)
class Port { public: void Send(); };
void Port::Send() { LOG("Shield>" __FUNCTION__ ": too short %d", 3); }
void Run() {
  Port p;
  LOG("Shield>" __FUNCTION__ ": %d", 1);
  LOG(__FUNCTION__ "<");
  const WCHAR *w = L"at " __FUNCTIONW__;
  LOG("%ws %d", w, (int)sizeof("[" __FUNCTION__ "]"));
  p.Send();
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['Shield>Run: 1', 'Run<', 'at Run 6', 'Shield>Port::Send: too short 3']);
});
