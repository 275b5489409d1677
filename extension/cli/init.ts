/**
 * `fltsim init <project.vcxproj | folder | files…> [--out FILE] [--force]`: writes a starter
 * scenario for a driver project (engine/starter/), next to the project unless --out says where.
 * Exit codes: 0 written, 2 bad usage, nothing to read, no FLT_REGISTRATION, or a file in the way.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { initLinter, parseScenario, registeredCallbacks, starterScenario } from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';
import { whyNotWritten } from '../shared/writeErrors';
import { parseArgs, UsageError } from './args';
import { relative } from './paths';
import { registerCommand } from './registry';

const USAGE = `Usage: fltsim init <project.vcxproj | folder | file.c…> [--out FILE] [--force] [--stdout]

Writes a starter scenario for a minifilter project: the driver, a volume with files (also where
the driver's own strings point), I/O that reaches each operation it registers, a user-mode program
on each of its communication ports, an open of each device it creates, and an unload, with
comments saying what to change. A folder is searched for its one kernel-mode driver.
  --out FILE   where to write it (default: <driver name>.fltsim in the project's folder)
  --force      replace FILE if it exists (never done without it)
  --stdout     print the scenario instead of writing it
  --json       say what happened as one JSON object on stdout (for tools): {"ok", "scenario",
               "driver", "operations", "callbacks", "ports", "devices"} or {"ok": false,
               "reason": "input" | "no-registration" | "exists", "message", "scenario"?}

Exit codes: 0 written, 2 bad usage, no driver, no FLT_REGISTRATION, or FILE exists without --force.`;

const SPEC = {
  out: { takesValue: true },
  force: { takesValue: false },
  stdout: { takesValue: false },
  json: { takesValue: false },
} as const;

type InitFailure = 'input' | 'no-registration' | 'exists';

function fail(json: boolean, reason: InitFailure, message: string, scenario?: string): number {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, reason, message, ...(scenario ? { scenario } : {}) })}\n`);
  process.stderr.write(`fltsim init: ${message}\n`);
  return 2;
}

export async function initCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC);
  if (args.positionals.length === 0) throw new UsageError('name a .vcxproj, a folder or .c/.cpp files of your driver');
  if (args.options.has('stdout') && args.options.has('out')) throw new UsageError('--stdout and --out cannot be given together');
  const out = args.options.get('out');
  const outPath = typeof out === 'string' ? path.resolve(out.endsWith('.fltsim') ? out : `${out}.fltsim`) : undefined;
  await initLinter();
  const result = starterScenario(nodeFiles, args.positionals.map((p) => path.resolve(p)), outPath ? { out: outPath } : {});
  const json = args.options.has('json');
  if (!result.ok) return fail(json, result.kind, result.message);
  // The text is ours: a scenario that does not parse is fltsim's bug, and the user must not get it.
  const problems = parseScenario(result.text).diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) throw new Error(`the starter scenario does not parse (line ${problems[0]!.line}: ${problems[0]!.message})`);
  if (args.options.has('stdout')) {
    process.stdout.write(result.text);
    return 0;
  }
  const target = result.scenarioPath;
  if (existsSync(target) && !args.options.has('force')) {
    return fail(json, 'exists', `${relative(target)} exists; it was left as it is. Give --force to replace it, or --out to write another file.`, target);
  }
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, result.text);
  } catch (e) {
    // A read-only folder, a full disk, a name the file system refuses: the user's to change, not our bug.
    return fail(json, 'input', `cannot write ${relative(target)}: ${whyNotWritten(e)}. Give --out FILE to write it elsewhere, or --stdout to print it.`, target);
  }
  const f = result.facts;
  const callbacks = registeredCallbacks(f).length;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: true, scenario: target, driver: f.name, operations: f.operations.length, callbacks, ports: f.literals.ports, devices: f.literals.devices })}\n`);
    return 0;
  }
  process.stdout.write(
    `Wrote ${relative(target)} for ${f.name}: ${f.operations.length} operation(s), ${callbacks} callback(s)` +
      `${f.literals.ports.length ? `, ${f.literals.ports.length} port(s)` : ''}${f.literals.devices.length ? `, ${f.literals.devices.length} device(s)` : ''}.\n` +
      `Run it with: fltsim run ${relative(target)}\n`,
  );
  if (f.cppOnly) process.stderr.write(`fltsim init: note: ${f.name}'s sources are C++; fltsim runs the C++ subset kernel drivers use (docs/interpreter.md, "C++"), and stops at anything beyond it, naming the construct.\n`);
  return 0;
}

registerCommand('init', { summary: 'Write a starter scenario for a driver project (.vcxproj, folder or .c/.cpp files)', usage: USAGE, run: initCommand });
