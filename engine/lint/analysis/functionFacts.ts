/**
 * What the analyses that walk one function read of it. The lint context (FunctionContext in
 * ../context.ts) computes these lazily and caches them, and it runs some of those analyses itself;
 * so the analyses take this view, and the context is not imported by what it imports.
 */
import type { Aliases } from '../frontend/exprs';
import type { CallExpr, FunctionIR } from '../frontend/ir';
import type { Cfg } from './cfg';
import type { Role } from './roleTypes';
import type { ValueTracker } from './values';

/** What a pre-op returns, by control code (controlCodes.ts finds it). */
export interface ReturnsByCode {
  /** Returns on paths that named the code. */
  byCode: Map<string, Set<string>>;
  /** Returns on paths that did not name it: before any test (`not` empty), or a `default:` (the codes it excludes). */
  other: { not: readonly string[]; values: Set<string> }[];
}

export interface FunctionFacts {
  readonly name: string;
  readonly fn: FunctionIR;
  readonly cfg: Cfg;
  readonly aliases: Aliases;
  readonly values: ValueTracker;
  /** For each CFG node, the tracked constants that may still be read there. */
  readonly liveVars: readonly Uint8Array[];
  /** Like `liveVars`, restricted to the variables some condition tests. */
  readonly liveTestedVars: readonly Uint8Array[];
  /** False for a function tree-sitter could not fully read: path-sensitive analyses skip it. */
  readonly readable: boolean;
  /** As a pre-op: what it returns for each control code it tests. */
  readonly preopCodes: ReturnsByCode | undefined;
  /** The key of the driver function a call in this body names (FileModel.callTargetOf). */
  callTarget(c: CallExpr): string | undefined;
  /** The name of the parameter at `i`, if the function has one. */
  param(i: number): string | undefined;
  role<K extends Role['k']>(k: K): Extract<Role, { k: K }> | undefined;
  readonly file: FileFacts;
}

/** What those analyses read of the rest of the file. */
export interface FileFacts {
  /** The constants a function returns, following the file's own helpers; `?` for a value not told. */
  returnsOf(name: string): ReadonlySet<string> | undefined;
  functionContext(name: string): FunctionFacts | undefined;
}
