import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkScenarioFiles, formatDiagnostic, moduleNameOf, parseScenario, resolveDriverPath, workloadTimeline } from '../../../engine/scenario';
import { forEachFlavor } from '../files/flavors';

forEachFlavor('scenario driver paths', (f) => {
  const scenarioPath = f.abs('scenarios', 'pend.fltsim');

  test('driver paths resolve next to the scenario, with either slash and ..; absolute paths are kept', () => {
    assert.equal(resolveDriverPath(scenarioPath, 'pendfilter.c', f.rules), f.abs('scenarios', 'pendfilter.c'));
    assert.equal(resolveDriverPath(scenarioPath, 'drivers\\counting.c', f.rules), f.abs('scenarios', 'drivers', 'counting.c'));
    assert.equal(resolveDriverPath(scenarioPath, 'drivers/counting.c', f.rules), f.abs('scenarios', 'drivers', 'counting.c'));
    assert.equal(resolveDriverPath(scenarioPath, '..\\shared/x.c', f.rules), f.abs('shared', 'x.c'));
    assert.equal(resolveDriverPath(scenarioPath, f.abs('abs.c'), f.rules), f.abs('abs.c'));
    assert.equal(moduleNameOf('drivers\\counting.c'), 'counting');
    assert.equal(moduleNameOf('noext'), 'noext');
  });

  test('checkScenarioFiles reports each missing driver at its path, and nothing when all exist', () => {
    const { scenario } = parseScenario('driver "pendfilter.c"\ndriver "drivers/counting.c" altitude 320000\n');
    const d = checkScenarioFiles(scenario, scenarioPath, f.files({ 'scenarios/pendfilter.c': '' }));
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.line, x.column, x.endColumn]), [['missing-file', 'error', 2, 8, 28]]);
    assert.equal(d[0].message, `driver file "drivers/counting.c" not found (looked for ${f.abs('scenarios', 'drivers', 'counting.c')})`);
    assert.match(d[0].hint, /relative to the folder of the scenario file/);
    assert.deepEqual(checkScenarioFiles(scenario, scenarioPath, f.files({ 'scenarios/pendfilter.c': '', 'scenarios/drivers/counting.c': '' })), []);
    const throwing = checkScenarioFiles(scenario, scenarioPath, {
      readFile: () => {
        throw new Error('EACCES');
      },
      paths: f.rules,
    });
    assert.equal(throwing.length, 2, 'a file system that throws counts as missing, not as a crash');
  });

  test('a driver path spelled in another case is found; only a file system that tells case apart warns', () => {
    const { scenario } = parseScenario('driver "Drivers\\PendFilter.C"\ndriver "Shared"\n');
    const files = f.files({ 'scenarios/drivers/pendfilter.c': '', 'scenarios/shared/a.c': '' });
    const d = checkScenarioFiles(scenario, scenarioPath, files);
    if (f.rules.ignoresCase) {
      assert.deepEqual(d, [], 'Windows finds the file: nothing to say');
      return;
    }
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.line, x.column]), [['file-case', 'warning', 1, 8], ['file-case', 'warning', 2, 8]]);
    assert.equal(d[0].message, `driver path "Drivers\\PendFilter.C" matches ${f.abs('scenarios', 'drivers', 'pendfilter.c')} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`);
  });

  test('a Windows drive path in a scenario is absolute; where no drive exists it is reported with a hint', () => {
    const { scenario } = parseScenario('driver "D:\\Drivers\\x.c"\n');
    const d = checkScenarioFiles(scenario, scenarioPath, f.files({}));
    assert.equal(d.length, 1);
    assert.equal(d[0].message, `driver file "D:\\Drivers\\x.c" not found (looked for ${f.name === 'win32' ? 'D:\\Drivers\\x.c' : 'D:/Drivers/x.c'})`);
    assert.match(d[0].hint, f.name === 'win32' ? /relative to the folder of the scenario file/ : /Windows drive or share path, which this machine cannot open/);
  });

  test('a driver line naming an existing file no driver is built from (.sys, .inf, a scenario, sources) says what it is and what to name', () => {
    const { scenario } = parseScenario('driver "out\\filter.sys"\ndriver "filter.inf"\ndriver "other.fltsim"\ndriver "old/sources"\ndriver "Lib.v2"\n');
    const d = checkScenarioFiles(scenario, scenarioPath, f.files({ 'scenarios/out/filter.sys': '', 'scenarios/filter.inf': '', 'scenarios/other.fltsim': '', 'scenarios/old/sources': '', 'scenarios/Lib.v2/a.c': '' }));
    assert.deepEqual(d.map((x) => [x.code, x.line, x.column]), [['bad-driver', 1, 8], ['bad-driver', 2, 8], ['bad-driver', 3, 8], ['bad-driver', 4, 8]], 'a folder with a dot in its name is still a folder');
    assert.equal(d[0].message, `driver path "out\\filter.sys" is a file, not a folder (${f.abs('scenarios', 'out', 'filter.sys')}), and not a kind of file a driver is built from`);
    assert.deepEqual(d.map((x) => x.hint.split(/[;:]/)[0]), ['This is the built driver', 'An INF installs a driver', 'A scenario names drivers rather than being one', 'This is an old-WDK build file']);
  });

  test('a path rooted by one backslash (a share written with two, which the string reads as one) gets the hint about backslashes where no drive exists', () => {
    const { scenario } = parseScenario('driver "\\\\server\\share\\x.c"\ndriver "\\proj\\y.c"\n');
    const d = checkScenarioFiles(scenario, scenarioPath, f.files({}));
    assert.deepEqual(d.map((x) => [x.line, x.message.split(' not found')[0]]), [[1, 'driver file "\\server\\share\\x.c"'], [2, 'driver file "\\proj\\y.c"']]);
    for (const x of d) {
      assert.match(x.hint, f.name === 'win32' ? /relative to the folder of the scenario file; check the name/ : /^A path starting with a backslash is rooted at a Windows drive, and \\\\ in a scenario string is one backslash/);
    }
  });
});

test('formatDiagnostic names the file, line and column, then the hint', () => {
  const { diagnostics } = parseScenario('driver "f.c"\nio #1 raed "\\a"');
  assert.equal(
    formatDiagnostic(diagnostics[0], 'pend.fltsim'),
    "pend.fltsim:2:7: error: unknown operation 'raed' — did you mean 'read'?\n  hint: Operations: create, read, write, cleanup, close, query-info, set-info, query-dir, notify-dir, flush, fsctl, ioctl.",
  );
});

test('the workload timeline orders by time, then by line', () => {
  const { scenario } = parseScenario('driver "f.c"\nunload at 10\nio #2 read "\\b" at 1\ncancel #1 at 2\nio #1 read "\\a" at 1\nio #3 read "\\c"');
  const order = workloadTimeline(scenario).map((e) => (e.kind === 'io' ? `io#${e.io.id}@${e.time}` : `${e.kind}@${e.time}`));
  assert.deepEqual(order, ['io#3@0', 'io#2@1', 'io#1@1', 'cancel@2', 'unload@10']);
});
