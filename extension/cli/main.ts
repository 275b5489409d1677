/**
 * The `fltsim` command line. Each subcommand lives in its own module and returns an exit code:
 * 0 success, 1 the thing checked failed (an expectation, an error-level finding), 2 bad input.
 */
import '../shared/wasmTiering';
import { ENGINE_VERSION } from '../../engine';
import { UsageError, closest } from './args';
import { COMMANDS } from './registry';
import './run';
import './lint';
import './test';
import './explore';
import './init';
import { isMainThread, workerData } from 'node:worker_threads';
import { isExploreWorker, runExploreWorker } from './exploreJobs';

export function helpText(): string {
  const lines = [
    `fltsim ${ENGINE_VERSION} — a deterministic Filter Manager simulator and Flt* linter`,
    '',
    'Usage: fltsim <command> [options]',
    '',
    'Commands:',
  ];
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  for (const name of names) lines.push(`  ${name.padEnd(width)}  ${COMMANDS[name].summary}`);
  lines.push(`  ${'help'.padEnd(width)}  Show this text, or a command's usage: fltsim help <command>`);
  lines.push('', 'Exit codes: 0 success, 1 a check failed, 2 bad input or usage.');
  return lines.join('\n');
}

/** `fltsim run --help` or `-h` anywhere before a `--`: the command's usage, not an unknown option. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) {
      process.stdout.write(`${COMMANDS[topic].usage}\n`);
    } else {
      process.stdout.write(`${helpText()}\n`);
    }
    return 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const near = closest(name, Object.keys(COMMANDS));
    process.stderr.write(`fltsim: unknown command '${name}'${near ? ` — did you mean '${near}'?` : ''}\nRun 'fltsim help' for the list.\n`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`fltsim ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    // Anything else is our bug, not the user's: say so plainly instead of dumping a trace.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fltsim ${name}: internal error: ${message}\nPlease report this with the command you ran.\n`);
    if (process.env.FLTSIM_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return 2;
  }
}

if (!isMainThread && isExploreWorker(workerData)) {
  // A worker of `fltsim explore` on several threads, started from this same file.
  void runExploreWorker(workerData);
} else if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
