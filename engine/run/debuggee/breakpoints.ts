/**
 * Breakpoints as the debuggee keeps them: a line breakpoint moves to the first line at or after it
 * that holds a statement; a function breakpoint (`ReadWorker` or `module!ReadWorker`) resolves to the
 * function's first statement. Each may carry a C condition, a hit condition and (line breakpoints) a
 * log message. Lookups during a run go by source key and line, so they cost two map reads.
 */
import type { PathRules } from '../../files';
import type { World } from '../world';

export interface LineBreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpointSpec {
  /** `ReadWorker`, or `csqfilter!ReadWorker` when drivers share a name. */
  name: string;
  condition?: string;
  hitCondition?: string;
}

/** What a front end reports back about a breakpoint it set. */
export interface BreakpointInfo {
  id: number;
  verified: boolean;
  /** Where it stops (after moving to a line with a statement); empty for an unresolved function. */
  file: string;
  line: number;
  /** Why it is not verified. */
  message?: string;
}

export interface Breakpoint extends BreakpointInfo {
  /** The source key of its file (DriverCode.key). */
  key: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Set for function breakpoints: the name as the user gave it. */
  functionName?: string;
  /** Times the location was reached with the condition holding, since the start of the run. */
  hits: number;
}

/** Where driver code can stop: statement lines per file, and each driver function's first one. */
export class DriverCode {
  /** Source key → sorted statement lines. */
  readonly lines = new Map<string, number[]>();
  /** Source key → the file as the compiler read it: its spelling on disk. */
  readonly files = new Map<string, string>();
  private readonly entries: { module: string; name: string; file: string; line: number }[] = [];

  /** `paths`: the rules of the file system the driver was read from (engine/files/paths.ts). */
  constructor(world: World, private readonly paths: PathRules) {
    const sets = new Map<string, Set<number>>();
    for (const [module, m] of world.modules) {
      // Every file of the driver: a static of one name in two files is two entries.
      for (const f of m.ownFunctions()) {
        const fn = m.compiledFunction(f);
        const name = f.name;
        const key = this.key(fn.file);
        if (!this.files.has(key)) this.files.set(key, paths.normalize(fn.file));
        let set = sets.get(key);
        if (!set) sets.set(key, (set = new Set()));
        for (const l of fn.statementLines) set.add(l);
        let first = Infinity;
        for (const l of fn.statementLines) if (l >= fn.loc.line && l < first) first = l;
        if (first !== Infinity) this.entries.push({ module, name, file: key, line: first });
      }
    }
    for (const [key, set] of sets) this.lines.set(key, [...set].sort((a, b) => a - b));
  }

  /**
   * The key a source file is compared by: normalised, and case-folded where the file system ignores
   * case (a client on Windows spells `C:\Drivers\X.c` as `c:\drivers\x.c`).
   */
  key(file: string): string {
    return this.paths.key(file);
  }

  /** The first statement of `Name` or `module!Name` (module names compare without case). */
  functionStart(spec: string): { file: string; line: number } | undefined {
    const bang = spec.indexOf('!');
    const module = bang >= 0 ? spec.slice(0, bang).trim().toLowerCase() : undefined;
    const name = (bang >= 0 ? spec.slice(bang + 1) : spec).trim();
    const hit = this.entries.find((e) => e.name === name && (module === undefined || e.module.toLowerCase() === module));
    return hit && { file: hit.file, line: hit.line };
  }
}

export class BreakpointTable {
  private nextId = 1;
  private readonly byFile = new Map<string, Breakpoint[]>();
  /** Source key → the path as the client last sent it: what its editor has open. */
  private readonly clientPaths = new Map<string, string>();
  private functions: Breakpoint[] = [];
  /** Source key → line → verified breakpoints there; rebuilt on every change. */
  private index = new Map<string, Map<number, Breakpoint[]>>();

  constructor(private readonly code: DriverCode) {}

  /**
   * How a source file is shown (frames, breakpoints, output): as the client spelled it when it set
   * breakpoints there, else as the compiler read it from disk.
   */
  shown(file: string): string {
    const key = this.code.key(file);
    return this.clientPaths.get(key) ?? this.code.files.get(key) ?? file;
  }

  setLineBreakpoints(file: string, specs: readonly LineBreakpointSpec[]): Breakpoint[] {
    const key = this.code.key(file);
    this.clientPaths.set(key, file);
    const lines = this.code.lines.get(key) ?? [];
    const bps = specs.map((s): Breakpoint => {
      const actual = lines.find((l) => l >= s.line);
      const bp: Breakpoint = { id: this.nextId++, key, verified: actual !== undefined, file, line: actual ?? s.line, hits: 0, condition: s.condition, hitCondition: s.hitCondition, logMessage: s.logMessage };
      if (actual === undefined) bp.message = lines.length === 0 ? 'no driver code of this scenario is in this file' : 'no statement on or after this line';
      else refuseBadHitCondition(bp);
      return bp;
    });
    this.byFile.set(key, bps);
    this.reindex();
    return bps;
  }

  setFunctionBreakpoints(specs: readonly FunctionBreakpointSpec[]): Breakpoint[] {
    this.functions = specs.map((s): Breakpoint => {
      const target = this.code.functionStart(s.name);
      const bp: Breakpoint = { id: this.nextId++, key: target?.file ?? '', verified: !!target, file: target ? this.shown(this.code.files.get(target.file)!) : '', line: target?.line ?? 0, hits: 0, functionName: s.name, condition: s.condition, hitCondition: s.hitCondition };
      if (!target) bp.message = `no driver function named '${s.name}' in this scenario`;
      else refuseBadHitCondition(bp);
      return bp;
    });
    this.reindex();
    return this.functions;
  }

  /** The breakpoints at a line of the file with this source key. */
  at(key: string, line: number): Breakpoint[] | undefined {
    return this.index.get(key)?.get(line);
  }

  /** Source keys that hold at least one verified breakpoint. */
  hasFile(key: string): boolean {
    return this.index.has(key);
  }

  get empty(): boolean {
    return this.index.size === 0;
  }

  resetHits(): void {
    for (const lines of this.index.values()) for (const list of lines.values()) for (const bp of list) bp.hits = 0;
  }

  private reindex(): void {
    this.index = new Map();
    for (const bp of [...[...this.byFile.values()].flat(), ...this.functions]) {
      if (!bp.verified) continue;
      let lines = this.index.get(bp.key);
      if (!lines) this.index.set(bp.key, (lines = new Map()));
      const list = lines.get(bp.line);
      if (list) list.push(bp);
      else lines.set(bp.line, [bp]);
    }
  }
}

/** A breakpoint whose hit count cannot be read is not set: stopping on every hit would mislead. */
function refuseBadHitCondition(bp: Breakpoint): void {
  const problem = hitConditionProblem(bp.hitCondition);
  if (!problem) return;
  bp.verified = false;
  bp.message = problem;
}

const HIT_CONDITION = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/;

/** Why a hit condition cannot be used, or undefined when it can (or there is none). */
export function hitConditionProblem(condition: string | undefined): string | undefined {
  if (!condition || condition.trim() === '' || HIT_CONDITION.test(condition)) return undefined;
  return `the hit count '${condition}' is not understood: write a number, optionally after ==, >, >=, <, <= or %`;
}

/** VS Code's hit conditions: `5` (from the 5th hit on), `== 5`, `>= 5`, `> 5`, `< 5`, `<= 5`, `% 5`. */
export function hitConditionHolds(condition: string | undefined, hits: number): boolean {
  if (!condition || condition.trim() === '') return true;
  const m = HIT_CONDITION.exec(condition);
  if (!m) return false;
  const n = Number(m[2]);
  switch (m[1]) {
    case '==': return hits === n;
    case '>': return hits > n;
    case '<': return hits < n;
    case '<=': return hits <= n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}
