/**
 * Every command the extension contributes, in one place, so package.json, the walkthrough links
 * and the registration code cannot drift apart (the manifest test compares them).
 */
export const Commands = {
  openSamples: 'fltsim.openSamples',
  openSample: 'fltsim.openSample',
  runScenario: 'fltsim.runScenario',
  debugScenario: 'fltsim.debugScenario',
  exploreSchedules: 'fltsim.exploreSchedules',
  lintWorkspace: 'fltsim.lintWorkspace',
  showRuleDocs: 'fltsim.showRuleDocs',
  breakInSample: 'fltsim.breakInSample',
  openWalkthrough: 'fltsim.openWalkthrough',
  debugTestRun: 'fltsim.debugTestRun',
  debugFailingSchedule: 'fltsim.debugFailingSchedule',
  showTimeline: 'fltsim.showTimeline',
  explainCallbackData: 'fltsim.explainCallbackData',
  createScenario: 'fltsim.createScenario',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ALL_COMMANDS: readonly CommandId[] = Object.values(Commands);

/** The debug type in package.json `debuggers` and in launch.json. */
export const DEBUG_TYPE = 'fltsim';

/** Walkthrough ids as VS Code names them: `<publisher>.<name>#<walkthrough id>`. */
export const EXTENSION_ID = 'fltsim.fltsim';

/** Walkthrough ids, in the order the Welcome page lists them; the first is the default. */
export const WALKTHROUGH_IDS = ['pendWorkItem', 'cbdqCancel', 'filterReads', 'irql', 'lintDriver', 'scannerPort'] as const;
