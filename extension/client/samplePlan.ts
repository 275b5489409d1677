/**
 * Which bundled sample files go where, decided without touching the disk or `vscode`: the
 * command layer lists files, asks this module for a plan, then copies. Existing files in the
 * target are never overwritten — a user who edited a copied sample keeps their edits.
 */
import * as path from 'node:path';
import { isScenarioPath } from './launchConfig';

/** Folder created inside the chosen workspace folder to hold the copies. */
export const SAMPLES_TARGET_FOLDER = 'fltsim-samples';

export interface CopyStep {
  /** Path relative to the bundled `samples/` folder. */
  from: string;
  /** Absolute destination path. */
  to: string;
}

export interface CopyPlan {
  copies: CopyStep[];
  /** Destination paths that already exist and are left alone. */
  kept: string[];
}

/**
 * @param files paths relative to `samples/` (either separator), e.g. `cbdq-cancel/cancel.fltsim`
 * @param targetRoot absolute folder the samples are copied into
 * @param exists tells whether a destination already exists
 * @param only restrict to one sample (its folder name)
 */
export function planSampleCopy(files: readonly string[], targetRoot: string, exists: (p: string) => boolean, only?: string): CopyPlan {
  const plan: CopyPlan = { copies: [], kept: [] };
  for (const raw of [...files].sort()) {
    const rel = raw.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
    // A path that climbs out of samples/ cannot come from our own listing; refuse it outright.
    if (rel.length === 0 || rel.includes('..')) continue;
    if (only !== undefined && rel[0] !== only) continue;
    const to = path.join(targetRoot, ...rel);
    if (exists(to)) plan.kept.push(to);
    else plan.copies.push({ from: rel.join('/'), to });
  }
  return plan;
}

/** Sample names are the folders directly under `samples/`. */
export function sampleNames(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const f of files) {
    const parts = f.split(/[\\/]+/).filter(Boolean);
    if (parts.length >= 2) names.add(parts[0]);
  }
  return [...names].sort();
}

/**
 * The file to open for a sample: its scenario (the alphabetically first `.fltsim`), or, for a
 * sample without one (the lint demo), its first C file.
 */
export function sampleEntryFile(files: readonly string[], sample: string): string | undefined {
  const own = files
    .map((f) => f.split(/[\\/]+/).filter(Boolean))
    .filter((parts) => parts.length >= 2 && parts[0] === sample)
    .map((parts) => parts.join('/'))
    .sort();
  return own.find((f) => isScenarioPath(f)) ?? own.find((f) => f.toLowerCase().endsWith('.c'));
}

/**
 * The 1-based line of the first statement inside function `name`'s body, where a breakpoint set by
 * a tutorial will be hit. Returns undefined when the definition is not found. This is a text
 * search, not a parse: good enough for the bundled samples, which the tests check.
 */
export function firstStatementLine(source: string, name: string): number | undefined {
  const lines = source.split(/\r\n|\r|\n/);
  const defRe = new RegExp(`\\b${name.replace(/[^A-Za-z0-9_]/g, '')}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    if (!defRe.test(lines[i]) || /;\s*$/.test(lines[i])) continue;
    // Find the opening brace of the body (the parameter list may span lines), giving up at a `;`
    // which means this was a prototype or a call.
    let j = i;
    let braceAt = -1;
    for (; j < lines.length && j < i + 40; j++) {
      const code = stripComment(lines[j]);
      const brace = code.indexOf('{');
      const semi = code.indexOf(';');
      if (semi >= 0 && (brace < 0 || semi < brace)) break;
      if (brace >= 0) {
        braceAt = j;
        // A one-line body (`{ return x; }`) stops on that same line.
        if (code.slice(brace + 1).replace('}', '').trim() !== '') return j + 1;
        break;
      }
    }
    if (braceAt < 0) continue;
    for (let k = braceAt + 1; k < lines.length; k++) {
      const code = stripComment(lines[k]).trim();
      if (code === '' || code === '{' || isDeclarationOnly(code)) continue;
      return k + 1; // a statement, or the closing brace of an empty body
    }
  }
  return undefined;
}

function stripComment(line: string): string {
  const i = line.indexOf('//');
  return (i >= 0 ? line.slice(0, i) : line).replace(/\/\*.*?\*\//g, '');
}

/** `PFLT_CALLBACK_DATA data;` or `ULONG n = 0;` style lines without a call: not a stop point in C debuggers either when uninitialised. */
function isDeclarationOnly(code: string): boolean {
  return /^[A-Z_][A-Za-z0-9_]*(\s+\*?|\s*\*\s*)[A-Za-z_][A-Za-z0-9_]*\s*;$/.test(code) || code.startsWith('UNREFERENCED_PARAMETER') || code === 'PAGED_CODE();';
}

/**
 * Roles a tutorial can ask a breakpoint for, found from how the driver wires its routines rather
 * than from their names, so renaming a sample's functions does not break a walkthrough.
 */
export type RoutineRole = 'worker' | 'preRead' | 'postRead' | 'cancelCallback';

const ROLE_SOURCES: Record<RoutineRole, { call?: string; argIndex: number; rowMajor?: string }[]> = {
  // FltQueue*WorkItem(item, object-or-data, WorkerRoutine, queueType, context)
  worker: [{ call: 'FltQueueGenericWorkItem', argIndex: 2 }, { call: 'FltQueueDeferredIoWorkItem', argIndex: 2 }],
  // FLT_OPERATION_REGISTRATION rows: { IRP_MJ_READ, flags, Pre, Post }
  preRead: [{ rowMajor: 'IRP_MJ_READ', argIndex: 2 }],
  postRead: [{ rowMajor: 'IRP_MJ_READ', argIndex: 3 }],
  // FltCbdqInitialize(instance, queue, Insert, Remove, Peek, Acquire, Release, CompleteCanceledIo)
  cancelCallback: [{ call: 'FltCbdqInitialize', argIndex: 7 }],
};

export function isRoutineRole(s: string): s is RoutineRole {
  return Object.prototype.hasOwnProperty.call(ROLE_SOURCES, s);
}

/** The name of the function that plays `role` in this C source, or undefined. */
export function functionForRole(source: string, role: RoutineRole): string | undefined {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  for (const src of ROLE_SOURCES[role]) {
    const opener = src.call ? new RegExp(`\\b${src.call}\\s*\\(`, 'g') : new RegExp(`\\{\\s*${src.rowMajor}\\s*,`, 'g');
    for (let m = opener.exec(text); m; m = opener.exec(text)) {
      const start = src.call ? m.index + m[0].length : m.index + 1;
      const args = topLevelArgs(text, start, src.call ? ')' : '}');
      const name = args[src.argIndex]?.replace(/^\(\s*[A-Za-z_]\w*\s*\)\s*/, '').replace(/^&/, '').trim();
      if (name && /^[A-Za-z_]\w*$/.test(name) && name !== 'NULL') return name;
    }
  }
  return undefined;
}

/** Splits `a, f(b, c), d)` into its top-level arguments, stopping at the closing `close`. */
function topLevelArgs(text: string, start: number, close: ')' | '}'): string[] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') {
      if (depth === 0) {
        if (ch === close) args.push(cur.trim());
        return args;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  return args;
}
