/**
 * The fuzz properties by name, each with the fixed seed and the number of inputs `npm test` runs;
 * `npm run fuzz` (scripts/fuzz.ts) runs them with more inputs and other seeds.
 */
import fc from 'fast-check';
import { checkDapSession, dapSession } from './dapTarget';
import { checkLint, checkRun } from './engineTargets';
import { checkLspSession, lspSession } from './lspTarget';
import { checkCppDriver, checkExploreFiles, checkInitFolder, checkProcessScenario, cppDriver, exploreFiles, initFolder, processScenario } from './newSurfaces';
import { checkOddCallDriver, oddCallDriver } from './oddCalls';
import { checkSecurityCallDriver, securityCallDriver } from './securityCalls';
import { checkControlScenario, checkMemoryCallDriver, checkRegistryScenario, checkSourcesFolder, controlScenario, memoryCallDriver, registryScenario, sourcesFolder } from './workloadInputs';
import { C_CORPUS, GENERIC_WORKLOAD, mutatedC, mutatedScenario, randomScenario, runnableC, type MutatedC } from './inputs';

export interface FuzzProperty {
  name: string;
  seed: number;
  quickRuns: number;
  /** The inputs, and the check each must pass (it throws on a violation). */
  arbitrary: fc.Arbitrary<any>;
  check: (input: any) => void | Promise<void>;
}

/** The property of `p`; `onInput` hears of each input before it is checked (the fuzz runner's watchdog). */
export function propertyOf(p: FuzzProperty, onInput?: (input: unknown) => void): fc.IAsyncPropertyWithHooks<[unknown]> {
  return fc.asyncProperty(p.arbitrary, async (input) => {
    onInput?.(input);
    await p.check(input);
  });
}

/**
 * Runs a property; a failure is rethrown with the error behind it (fast-check keeps it as `cause`,
 * which the test runner does not print).
 */
export async function assertProperty(p: FuzzProperty, params: fc.Parameters<[unknown]>): Promise<void> {
  try {
    await fc.assert(propertyOf(p), params);
  } catch (e) {
    const cause = (e as Error & { cause?: unknown }).cause;
    throw new Error(`${(e as Error).message}\nThe error: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  }
}

/** A known-good driver for scenarios whose own text is what is fuzzed. */
const GOOD_DRIVER = C_CORPUS.find((c) => c.name.endsWith('pendfilter.c'))!.text;

export const ENGINE_PROPERTIES: readonly FuzzProperty[] = [
  {
    name: 'run: mutated C drivers under a fixed workload',
    seed: 1601,
    quickRuns: 25,
    // Mostly drivers that still compile (statements inserted), so the interpreter is what is tested;
    // the rest broken anyhow, for the compiler's error paths.
    arbitrary: fc.oneof({ weight: 3, arbitrary: runnableC }, { weight: 1, arbitrary: mutatedC }),
    check: (c: MutatedC) => checkRun(`driver "d.c"\n${GENERIC_WORKLOAD}\nexpect no violations\n`, { 'd.c': c.text }),
  },
  {
    name: 'run: random scenarios over a good driver',
    seed: 1602,
    quickRuns: 40,
    arbitrary: randomScenario,
    check: (s: string) => checkRun(s, { 'd.c': GOOD_DRIVER }),
  },
  {
    name: 'run: mutated sample scenarios with their drivers',
    seed: 1603,
    quickRuns: 25,
    arbitrary: mutatedScenario,
    check: (s: { text: string; drivers: Record<string, string> }) => checkRun(s.text, s.drivers),
  },
  {
    name: 'lint: mutated C, fresh and as an edit of the original',
    seed: 1604,
    quickRuns: 40,
    arbitrary: mutatedC,
    check: (c: MutatedC) => checkLint(c.text, C_CORPUS.find((x) => x.name === c.source)!.text),
  },
  {
    name: 'run: process, open-process and timer scenarios over process-aware and timer drivers',
    seed: 1607,
    quickRuns: 25,
    arbitrary: processScenario,
    check: checkProcessScenario,
  },
  {
    name: 'run: C++ drivers with random C++ constructs (a run or a refusal at a line)',
    seed: 1608,
    quickRuns: 20,
    arbitrary: cppDriver,
    check: checkCppDriver,
  },
  {
    name: 'init: odd project folders on disk, then the written scenario run',
    seed: 1609,
    quickRuns: 6,
    arbitrary: initFolder,
    check: checkInitFolder,
  },
  {
    name: 'explore: shard reports and replay files cut short, edited or of another scenario',
    seed: 1610,
    quickRuns: 25,
    arbitrary: exploreFiles,
    check: checkExploreFiles,
  },
  {
    name: 'run: odd calls to variadic functions, Zw file routines, KeWaitForMultipleObjects, qsort and bsearch',
    seed: 1611,
    quickRuns: 15,
    arbitrary: oddCallDriver,
    check: checkOddCallDriver,
  },
  {
    name: 'run: odd calls to SID, token, security descriptor, SList and CmRegisterCallback routines, and Zw calls on named streams',
    seed: 1612,
    quickRuns: 8,
    arbitrary: securityCallDriver,
    check: checkSecurityCallDriver,
  },
  {
    name: 'run: registry declarations, program registry operations and expect registry lines over registry callbacks',
    seed: 1613,
    quickRuns: 10,
    arbitrary: registryScenario,
    check: checkRegistryScenario,
  },
  {
    name: 'run: IOCTL and FSCTL lines with random input byte parts over a driver reading each transfer method',
    seed: 1614,
    quickRuns: 10,
    arbitrary: controlScenario,
    check: checkControlScenario,
  },
  {
    name: 'run: virtual-memory routines, MmProbeAndLockPages and SeAccessCheck with garbage arguments',
    seed: 1615,
    quickRuns: 8,
    arbitrary: memoryCallDriver,
    check: checkMemoryCallDriver,
  },
  {
    name: 'init: old-WDK sources projects with odd macros, directives and file lists, then the written scenario run',
    seed: 1616,
    quickRuns: 6,
    arbitrary: sourcesFolder,
    check: checkSourcesFolder,
  },
];

/** The properties over the shipped processes (dist/debugAdapter.js, dist/server.js). */
export const PROCESS_PROPERTIES: readonly FuzzProperty[] = [
  {
    name: 'dap: random request sequences with random arguments against the adapter process',
    seed: 1605,
    quickRuns: 6,
    arbitrary: dapSession,
    check: checkDapSession,
  },
  {
    name: 'lsp: random edits, hovers and code actions against the server process',
    seed: 1606,
    quickRuns: 5,
    arbitrary: lspSession,
    check: checkLspSession,
  },
];

export const ALL_PROPERTIES: readonly FuzzProperty[] = [...ENGINE_PROPERTIES, ...PROCESS_PROPERTIES];
