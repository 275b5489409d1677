/**
 * Breakpoints as the runtime keeps them: line breakpoints moved to the nearest line that holds a
 * statement, function breakpoints resolved to a function's first statement (`ReadWorker` or
 * `module!ReadWorker`), each with an optional condition, hit condition or log message.
 */
import * as path from 'node:path';
import type { World } from '../../engine';

export interface BreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpointSpec {
  name: string;
  condition?: string;
  hitCondition?: string;
}

export interface Breakpoint {
  id: number;
  verified: boolean;
  /** Where it will stop (after moving to an executable line). */
  file: string;
  line: number;
  message?: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Set for function breakpoints: the name as the user gave it. */
  functionName?: string;
  hits: number;
}

export function normalizePath(p: string): string {
  return path.normalize(path.resolve(p));
}

/** Statement lines of every compiled function, by file. */
export function executableLines(world: World): Map<string, number[]> {
  const byFile = new Map<string, Set<number>>();
  for (const m of world.modules.values()) {
    for (const f of m.ownFunctions()) {
      const fn = m.compiledFunction(f);
      const file = normalizePath(fn.file);
      let set = byFile.get(file);
      if (!set) byFile.set(file, (set = new Set()));
      for (const l of fn.statementLines) set.add(l);
    }
  }
  const out = new Map<string, number[]>();
  for (const [f, s] of byFile) out.set(f, [...s].sort((a, b) => a - b));
  return out;
}

export class BreakpointStore {
  private nextId = 1;
  private readonly lines = new Map<string, Breakpoint[]>();
  private functions: Breakpoint[] = [];
  /** `file:line` → breakpoints that stop there, rebuilt on every change. */
  private index = new Map<string, Breakpoint[]>();

  constructor(private readonly executable: Map<string, number[]>, private readonly world: World) {}

  setLineBreakpoints(file: string, specs: BreakpointSpec[]): Breakpoint[] {
    const f = normalizePath(file);
    const lines = this.executable.get(f) ?? [];
    const bps = specs.map((s): Breakpoint => {
      const actual = lines.find((l) => l >= s.line);
      const bp: Breakpoint = { id: this.nextId++, verified: actual !== undefined, file: f, line: actual ?? s.line, hits: 0, condition: s.condition, hitCondition: s.hitCondition, logMessage: s.logMessage };
      if (actual === undefined) bp.message = lines.length === 0 ? 'no driver code of this scenario is in this file' : 'no statement on or after this line';
      return bp;
    });
    this.lines.set(f, bps);
    this.reindex();
    return bps;
  }

  setFunctionBreakpoints(specs: FunctionBreakpointSpec[]): Breakpoint[] {
    this.functions = specs.map((s): Breakpoint => {
      const target = this.resolveFunction(s.name);
      const bp: Breakpoint = { id: this.nextId++, verified: !!target, file: target?.file ?? '', line: target?.line ?? 0, hits: 0, functionName: s.name, condition: s.condition, hitCondition: s.hitCondition };
      if (!target) bp.message = `no driver function named '${s.name}' in this scenario`;
      return bp;
    });
    this.reindex();
    return this.functions;
  }

  /** `Name` or `module!Name` to the function's first statement. */
  private resolveFunction(spec: string): { file: string; line: number } | undefined {
    const [module, name] = spec.includes('!') ? spec.split('!', 2) : [undefined, spec];
    for (const [modName, m] of this.world.modules) {
      if (module && modName.toLowerCase() !== module.toLowerCase()) continue;
      for (const fn of m.compiledNamed(name.trim())) {
        const first = Math.min(...[...fn.statementLines].filter((l) => l >= fn.loc.line));
        if (!Number.isFinite(first)) continue;
        return { file: normalizePath(fn.file), line: first };
      }
    }
    return undefined;
  }

  private reindex(): void {
    this.index = new Map();
    for (const bp of [...[...this.lines.values()].flat(), ...this.functions]) {
      if (!bp.verified) continue;
      const key = `${bp.file}:${bp.line}`;
      const list = this.index.get(key);
      if (list) list.push(bp);
      else this.index.set(key, [bp]);
    }
  }

  at(file: string, line: number): Breakpoint[] | undefined {
    return this.index.get(`${file}:${line}`);
  }

  get empty(): boolean {
    return this.index.size === 0;
  }

  resetHits(): void {
    for (const list of this.index.values()) for (const bp of list) bp.hits = 0;
  }
}

/** VS Code's hit conditions: `5` (from the 5th hit on), `== 5`, `>= 5`, `> 5`, `< 5`, `<= 5`, `% 5`. */
export function hitConditionHolds(condition: string | undefined, hits: number): boolean {
  if (!condition || condition.trim() === '') return true;
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!m) return true;
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
