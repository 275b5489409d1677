// Inventory of the WDK names a set of driver samples uses that fltsim's built-in headers do not
// declare. Each sample's kernel-mode .c files go through fltsim's own front end (engine/c: the
// preprocessor, tree-sitter parse and translation, with the compiled prelude) and then through the
// interpreter's compiler, which resolves every name and field in every statement. What is left is
// what a driver would stop at: unknown type names, undeclared identifiers (constants, macros that
// were never defined), routines called without any declaration, fields a struct does not have, and
// text the parser could not read.
//
//   npx tsx scripts/wdk-surface.ts <samples folder> [--json] [--only name,name] [--list]
//
// <samples folder> holds one folder per sample (Windows-driver-samples' filesys/miniFilter). Every
// .c file of a sample is compiled as its own translation unit; `user` folders (user-mode programs)
// are skipped. `#include "x.h"` is looked up next to the including file, then in every folder of
// the sample and in its `inc` folders (what the samples' .vcxproj files add as include paths).
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { loadCLanguage } from '../engine/c/treeSitter';
import { locateFile } from '../engine/files';
import { nodeFiles } from '../extension/shared/nodeFiles';
import { compileTranslationUnit, type TranslationUnit } from '../engine/c/program';
import { IGNORED_HEADERS, preludeHeaders } from '../engine/c/prelude';
import { compiledPrelude } from '../engine/c/prelude/compiled';
import { Interpreter } from '../engine/interp/interpreter';
import { Marshal } from '../engine/kernel/marshal';
import { AddressSpace } from '../engine/memory/space';
import type { Builtin } from '../engine/interp/builtin';
import { CRuntimeError } from '../engine/interp/errors';
import type { Co } from '../engine/kernel/coroutine';

type Kind = 'type' | 'identifier' | 'routine' | 'field' | 'header' | 'link' | 'syntax' | 'other';

/** Kinds that are a name the built-in headers would have to declare. */
const NAME_KINDS: ReadonlySet<Kind> = new Set<Kind>(['type', 'identifier', 'routine', 'field', 'header']);

interface Finding {
  kind: Kind;
  /** The unknown name (or the problem text for syntax/other). */
  name: string;
  where: string;
}

interface SampleReport {
  sample: string;
  files: number;
  findings: Finding[];
}

function walkSources(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.toLowerCase() === 'user') continue;
      walkSources(p, out);
    } else if (/\.c$/i.test(e.name)) out.push(p);
  }
  return out;
}

function foldersOf(dir: string, out: string[] = []): string[] {
  out.push(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name.toLowerCase() !== 'user') foldersOf(join(dir, e.name), out);
  return out;
}

function classify(message: string): { kind: Kind; name: string } {
  let m = /^unknown type name '([^']+)'/.exec(message);
  if (m) return { kind: 'type', name: m[1] };
  m = /^'([^']+)' is not declared and fltsim does not model it/.exec(message);
  if (m) return { kind: 'routine', name: m[1] };
  m = /^'([^']+)' is not declared/.exec(message);
  if (m) return { kind: 'identifier', name: m[1] };
  m = /has no field '([^']+)'/.exec(message);
  if (m) {
    const s = /: (\S+) has no field/.exec(message);
    return { kind: 'field', name: `${s ? s[1] : '?'}.${m[1]}` };
  }
  m = /^unknown system header <([^>]+)>/.exec(message);
  if (m) return { kind: 'header', name: m[1] };
  // A function of the sample defined in another of its files: linking, not a missing declaration.
  m = /^'([^']+)' is used as a function pointer, but it is a kernel routine/.exec(message);
  if (m) return { kind: 'link', name: m[1] };
  if (/C parser could not read|expected here/.test(message)) return { kind: 'syntax', name: message };
  return { kind: 'other', name: message };
}

function drive<T>(co: Co<T>): T {
  for (;;) {
    const r = co.next();
    if (r.done) return r.value;
  }
}

function inventory(sampleDir: string): SampleReport {
  const files = walkSources(sampleDir, []).sort();
  const includeDirs = foldersOf(sampleDir);
  const findings: Finding[] = [];
  const prelude = compiledPrelude();
  const systemHeaders = preludeHeaders();
  const rel = (p: string) => relative(sampleDir, p) || p;
  const definedBySample = new Set<string>();
  for (const file of files) {
    const unit: TranslationUnit = compileTranslationUnit(file, {
      readFile: (p) => nodeFiles.readFile(p),
      locate: (p) => locateFile(nodeFiles, p),
      includeDirs,
      systemHeaders,
      ignoredHeaders: IGNORED_HEADERS,
      prelude,
    });
    for (const d of unit.diagnostics) {
      if (d.severity !== 'error') continue;
      findings.push({ ...classify(d.message), where: `${rel(d.loc.file)}:${d.loc.line}` });
    }
    // Every called name is offered to this table; names with no declaration anywhere are unknown.
    const called = new Map<string, string>();
    const builtins = new Map<string, Builtin>();
    builtins.get = (name: string) => {
      if (!called.has(name)) called.set(name, '');
      return undefined;
    };
    const interp = new Interpreter(
      { currentThread: () => ({ frames: [] }), violation: () => undefined },
      {
        builtins,
        marshal: new Marshal(new AddressSpace()),
        onCompileError: (e) => findings.push({ ...classify(e.message), where: e.loc ? `${rel(e.loc.file)}:${e.loc.line}` : rel(file) }),
      },
    );
    try {
      drive(interp.load(unit, basename(file, '.c')));
    } catch (e) {
      // A global initialiser that fails to compile stops the load; it is one more finding.
      if (!(e instanceof CRuntimeError)) throw e;
      findings.push({ ...classify(e.message), where: e.loc ? `${rel(e.loc.file)}:${e.loc.line}` : rel(file) });
    }
    for (const f of unit.functions.values()) if (!f.loc.file.startsWith('<')) definedBySample.add(f.name);
    for (const name of called.keys()) {
      if (!unit.functions.has(name) && !unit.prototypes.has(name)) findings.push({ kind: 'routine', name, where: rel(file) });
    }
  }
  const own = definedBySample;
  return {
    sample: basename(sampleDir),
    files: files.length,
    findings: findings.map((f) => (f.kind === 'link' && !own.has(f.name) ? { ...f, kind: 'routine' as const } : f)),
  };
}

function distinct(findings: Finding[]): Map<string, Finding[]> {
  const by = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.kind} ${f.name}`;
    const list = by.get(key) ?? [];
    list.push(f);
    by.set(key, list);
  }
  return by;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--'));
  if (!root || !existsSync(root)) {
    console.error('usage: npx tsx scripts/wdk-surface.ts <folder of samples, e.g. Windows-driver-samples/filesys/miniFilter> [--json] [--list] [--only a,b]');
    process.exit(2);
  }
  const onlyArg = args.find((a) => a.startsWith('--only='))?.slice(7);
  const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
  await loadCLanguage();
  const samples = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (!only || only.has(e.name)))
    .map((e) => join(root, e.name))
    .filter((d) => walkSources(d, []).length > 0)
    .sort();
  const reports = samples.map(inventory);
  if (args.includes('--json')) {
    console.log(JSON.stringify(reports.map((r) => ({
      sample: r.sample,
      files: r.files,
      unknown: [...distinct(r.findings.filter((f) => NAME_KINDS.has(f.kind))).keys()],
      other: [...distinct(r.findings.filter((f) => !NAME_KINDS.has(f.kind) && f.kind !== 'link')).keys()],
    })), null, 2));
    return;
  }
  const all = new Map<string, Set<string>>();
  let others = 0;
  for (const r of reports) {
    const names = distinct(r.findings.filter((f) => NAME_KINDS.has(f.kind)));
    const rest = distinct(r.findings.filter((f) => !NAME_KINDS.has(f.kind) && f.kind !== 'link'));
    others += rest.size;
    console.log(`${r.sample.padEnd(18)} ${String(r.files).padStart(3)} files  ${String(names.size).padStart(4)} unknown names  ${String(rest.size).padStart(3)} other problems`);
    for (const [key, list] of names) {
      if (!all.has(key)) all.set(key, new Set());
      all.get(key)!.add(r.sample);
      if (args.includes('--list')) console.log(`    ${key}  (${list.length}× e.g. ${list[0].where})`);
    }
    if (args.includes('--list')) for (const [key, list] of rest) console.log(`    ${key}  (${list.length}× e.g. ${list[0].where})`);
  }
  console.log(`${'all samples'.padEnd(18)} ${String(reports.reduce((n, r) => n + r.files, 0)).padStart(3)} files  ${String(all.size).padStart(4)} distinct unknown names  ${String(others).padStart(3)} other problems`);
  if (all.size > 0 || others > 0) process.exitCode = 1;
}

void main();
