/**
 * A Test Explorer message about one run carries the run's seed in its contextValue, and one about a
 * failing schedule (the Explore profile) its replay file; package.json shows a "Debug This Run" or
 * "Debug the Failing Schedule" button on such messages (menu testing/message/content), and the
 * button's command gets the test item and the message back. Free of `vscode` so both directions are
 * tested.
 */

/** The contextValue prefix the manifest's `when` clause matches (`testMessage =~ /^fltsim\.run\./`). */
export const RUN_MESSAGE_CONTEXT = 'fltsim.run.';

export function runMessageContext(seed: number): string {
  return `${RUN_MESSAGE_CONTEXT}${seed}`;
}

/** What VS Code passes to a testing/message/content command: the test and the message. */
interface MessageActionArg {
  test?: { uri?: { fsPath?: unknown } };
  message?: { contextValue?: unknown };
}

/** The scenario and seed to debug from a message button's argument, or undefined if it names none. */
export function debugTargetOfTestMessage(arg: unknown): { scenario: string; seed: number } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { test, message } = arg as MessageActionArg;
  const scenario = test?.uri?.fsPath;
  const context = message?.contextValue;
  if (typeof scenario !== 'string' || typeof context !== 'string' || !context.startsWith(RUN_MESSAGE_CONTEXT)) return undefined;
  const seedText = context.slice(RUN_MESSAGE_CONTEXT.length);
  if (!/^[0-9]+$/.test(seedText)) return undefined;
  return { scenario, seed: Number(seedText) };
}

/** The contextValue prefix of a failing schedule's messages (`testMessage =~ /^fltsim\.schedule\./`). */
export const SCHEDULE_MESSAGE_CONTEXT = 'fltsim.schedule.';

export function scheduleMessageContext(replay: string): string {
  return `${SCHEDULE_MESSAGE_CONTEXT}${replay}`;
}

/** The scenario and replay file to debug from a message button's argument, or undefined if it names none. */
export function replayTargetOfTestMessage(arg: unknown): { scenario: string; replay: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { test, message } = arg as MessageActionArg;
  const scenario = test?.uri?.fsPath;
  const context = message?.contextValue;
  if (typeof scenario !== 'string' || typeof context !== 'string' || !context.startsWith(SCHEDULE_MESSAGE_CONTEXT)) return undefined;
  const replay = context.slice(SCHEDULE_MESSAGE_CONTEXT.length);
  return replay.length > 0 ? { scenario, replay } : undefined;
}
