/**
 * The end-to-end checks, one module per step. Each drives the workbench like a user, asserts what
 * the screen shows, and leaves a screenshot. Expected values come from `Expectations` so a negative
 * control can flip one of them from the environment and watch the run fail.
 */
import type { StepContext } from './shared';
import { commands } from './commands';
import { dataBreakpoint } from './dataBreakpoint';
import { debug } from './debug';
import { explore } from './explore';
import { grammar } from './grammar';
import { init } from './init';
import { problems } from './problems';
import { runaway } from './runaway';
import { testExplore } from './testExplore';
import { testing } from './testing';
import { timeline } from './timeline';
import { walkthrough } from './walkthrough';

export type { Expectations, StepContext } from './shared';

export type StepName = 'grammar' | 'commands' | 'debug' | 'dataBreakpoint' | 'problems' | 'walkthrough' | 'runaway' | 'timeline' | 'explore' | 'testing' | 'testExplore' | 'init';
export const ALL_STEPS: readonly StepName[] = ['grammar', 'commands', 'debug', 'dataBreakpoint', 'problems', 'walkthrough', 'runaway', 'timeline', 'explore', 'testing', 'testExplore', 'init'];

export const STEPS: Record<StepName, (ctx: StepContext) => Promise<void>> = { grammar, commands, debug, dataBreakpoint, problems, walkthrough, runaway, timeline, explore, testing, testExplore, init };
