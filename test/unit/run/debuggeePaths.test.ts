// Breakpoints and frames by path, under posix and win32 rules: the file a client names (any case and
// either slash on Windows; the exact name on posix) is the file the driver was compiled from, and
// frames show a file as the client spelled it, else as it is on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Debuggee, prepareScenarioText } from '../../../engine';
import { forEachFlavor, type Flavor } from '../files/flavors';
import { lineOf, PATHS_MAIN as MAIN, PATHS_SCENARIO as SCENARIO, PATHS_UTIL as UTIL, stopped, top } from './debuggeeFixture';

/** The driver on disk as `Drivers/Src/Tally.c` and `Drivers/Inc/util.h`; the scenario names it in lower case. */
async function open(f: Flavor): Promise<{ d: Debuggee; output: { text: string; file?: string }[] }> {
  const files = f.files({ 'Drivers/Src/Tally.c': MAIN, 'Drivers/Inc/util.h': UTIL, 'Drivers/Scenarios/tally.fltsim': SCENARIO });
  const prepared = await prepareScenarioText(f.abs('Drivers', 'Scenarios', 'tally.fltsim'), SCENARIO, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((x) => `${x.file}:${x.line}: ${x.message}`).join('\n'));
  assert.equal(prepared.prepared.paths, f.rules);
  const output: { text: string; file?: string }[] = [];
  const d = new Debuggee(prepared.prepared, { output: (text, _c, at) => output.push({ text, file: at?.file }) });
  return { d, output };
}

/** A path as VS Code on Windows sends it: drive letter and every name in lower case, forward slashes even. */
function clientSpelling(f: Flavor, p: string): string {
  return f.name === 'win32' ? p.toLowerCase().replace(/\\/g, '/').replace(/^c:\/work/, 'c:\\work') : p;
}

forEachFlavor('breakpoints and frames by path', (f) => {
  const disk = f.abs('Drivers', 'Src', 'Tally.c');
  const header = f.abs('Drivers', 'Inc', 'util.h');
  const call = lineOf(MAIN, 'n = Twice(');

  test('the driver is compiled from the files as they are on disk, whatever case the scenario and #include use', async () => {
    const { d } = await open(f);
    const [fn] = d.setFunctionBreakpoints([{ name: 'Twice' }]);
    assert.deepEqual([fn!.verified, fn!.file, fn!.line], [true, header, lineOf(UTIL, 'LONG doubled')]);
    assert.deepEqual(d.executableLines(disk).includes(call), true);
  });

  test('a breakpoint the client names with the disk spelling is verified and hit; the frame shows that spelling', async () => {
    const { d } = await open(f);
    const [bp] = d.setLineBreakpoints(disk, [{ line: call }]);
    assert.deepEqual([bp!.verified, bp!.file, bp!.line], [true, disk, call]);
    d.start(false);
    const stop = stopped(d.runToStop());
    assert.deepEqual([stop.reason, stop.hitBreakpointIds], ['breakpoint', [bp!.id]]);
    assert.deepEqual(d.frames(stop.threadId)[0]!.source, { file: disk, line: call, column: 5 });
  });

  test('another case and other slashes name the same file only where the file system ignores case', async () => {
    const { d, output } = await open(f);
    const spelled = clientSpelling(f, f.abs('Drivers', 'Scenarios', '..', 'Src', 'TALLY.C'));
    const [bp] = d.setLineBreakpoints(spelled, [{ line: call }]);
    if (!f.rules.ignoresCase) {
      assert.deepEqual([bp!.verified, bp!.message], [false, 'no driver code of this scenario is in this file'], 'on posix TALLY.C is another file');
      return;
    }
    assert.deepEqual([bp!.verified, bp!.file, bp!.line], [true, spelled, call]);
    d.start(false);
    const stop = stopped(d.runToStop());
    assert.equal(stop.reason, 'breakpoint');
    // The editor has the file open under the name it sent: frames and output say that name.
    assert.deepEqual(d.frames(stop.threadId)[0]!.source?.file, spelled);
    d.step(stop.threadId, 'in');
    const inner = stopped(d.runToStop());
    assert.deepEqual([top(d, inner).name, d.frames(inner.threadId)[0]!.source?.file], ['Tally!Twice', header], 'the module is named after the file as it is on disk; a file the client named nowhere shows its disk spelling');
    d.continue();
    d.runToStop();
    assert.deepEqual(output.filter((o) => o.text.startsWith('tally:')).map((o) => o.file), [spelled]);
  });

  test('the client\'s spelling of a header is what function breakpoints there show, once it has named it', async () => {
    const { d } = await open(f);
    const named = clientSpelling(f, header);
    const [line] = d.setLineBreakpoints(named, [{ line: lineOf(UTIL, 'return doubled') }]);
    assert.equal(line!.verified, true);
    const [fn] = d.setFunctionBreakpoints([{ name: 'tally!Twice' }]);
    assert.equal(fn!.file, named);
  });
});
