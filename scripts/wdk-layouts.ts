// Measures the x64 layout of every struct and union the built-in headers declare, with the MS-ABI
// compiler, and writes the numbers to test/fixtures/wdk-layouts.tsv (test/unit/c/wdkLayouts.test.ts
// checks fltsim's sizeOf/offsetOf against that table; it needs no compiler).
//
//   apt-get install gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev
//   npx tsx scripts/wdk-layouts.ts [--docs <windows-docs-scraper checkout>] [--out <file>]
//
// Each type is measured from the first source that has it:
//   1. mingw-w64's DDK headers (ddk/ntifs.h, ntddk.h, wdm.h, ntstrsafe.h) and SDK headers (winioctl,
//      ws2ipdef, ktmtypes…), compiled by x86_64-w64-mingw32-gcc, which lays out structs as MSVC does;
//   2. the declaration Microsoft documents for it (learn.microsoft.com, as mirrored by the
//      m417z/windows-docs-scraper repository's gh-pages branch: `ns-<header>-<name>.c`), compiled by
//      the same compiler on top of mingw's headers. mingw has no fltKernel.h, so every FLT_* struct
//      comes from here;
//   3. nothing: the type is listed as unverified in the table's header.
// Scalar and pointer typedefs that neither source declares (FLT_CALLBACK_DATA_FLAGS, PFLT_FILTER, the
// callback pointer types…) are given to the compiler from fltsim's own prelude; they only decide a
// size of 1, 2, 4 or 8 bytes or a pointer, which the documentation states.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCLanguage } from '../engine/c/treeSitter';
import { compilePrelude } from '../engine/c/prelude/compiled';
import type { CType, StructType } from '../engine/c/types';

const CC = 'x86_64-w64-mingw32-gcc';
/**
 * Types mingw-w64 10 declares in an older shape than the current documentation (members added in
 * Windows 10): measured from the documented declaration, compiled under a private name.
 */
const DOCS_NEWER_THAN_MINGW = ['IO_DRIVER_CREATE_CONTEXT', 'SRV_OPEN_ECP_CONTEXT'];
const RENAMED = 'FLTSIM_DOCS_';
const MINGW_INCLUDE = '/usr/x86_64-w64-mingw32/include';

interface Entry {
  type: string;
  /** `sizeof` or a member path (`Parameters.Read.Length`). */
  member: string;
}

/** The member paths to measure: every named member, through anonymous ones, two levels into named structs. */
function memberPaths(t: StructType, prefix: string[], depth: number, out: string[][]): void {
  for (const f of t.fields ?? []) {
    if (f.name.startsWith('__fltsim')) continue;
    if (f.name.startsWith('<anonymous')) {
      if (f.type.kind === 'struct') memberPaths(f.type, prefix, depth, out);
      continue;
    }
    if (f.bits !== undefined) continue; // offsetof of a bit-field is not C
    const path = [...prefix, f.name];
    out.push(path);
    if (f.type.kind === 'struct' && f.type.fields && depth > 0) memberPaths(f.type, path, depth - 1, out);
  }
}

/** A C spelling of a scalar or pointer type of the same size, for typedefs no source declares. */
function scalarSpelling(t: CType): string | undefined {
  if (t.kind === 'ptr' || t.kind === 'func') return 'void *';
  if (t.kind === 'int') {
    const base = { 1: 'char', 2: 'short', 4: 'int', 8: 'long long' }[t.size];
    return `${t.signed ? 'signed' : 'unsigned'} ${base}`;
  }
  return undefined;
}

interface DocsIndex {
  root: string;
  commit: string;
  files: Map<string, string>;
}

function loadDocs(root: string): DocsIndex {
  const commit = execFileSync('git', ['-C', root, 'rev-parse', 'gh-pages'], { encoding: 'utf8' }).trim();
  const list = execFileSync('git', ['-C', root, 'ls-tree', '-r', '--name-only', 'gh-pages'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n');
  const files = new Map<string, string>();
  for (const f of list) {
    const m = /\/ns-[a-z0-9]+-_?([a-z0-9_]+)\.c$/.exec(f);
    if (!m) continue;
    // Driver documentation first, then the SDK's.
    if (!files.has(m[1]) || (f.startsWith('windows-driver-docs-ddi/') && !files.get(m[1])!.startsWith('windows-driver-docs-ddi/'))) files.set(m[1], f);
  }
  return { root, commit, files };
}

function docsDeclaration(docs: DocsIndex, name: string): { file: string; text: string } | undefined {
  const file = docs.files.get(name.toLowerCase().replace(/^_/, ''));
  if (!file) return undefined;
  const text = execFileSync('git', ['-C', docs.root, 'show', `gh-pages:${file}`], { encoding: 'utf8' });
  return { file, text: text.replace(/\[(in|out|in, out|in, optional|out, optional)\]/g, '') };
}

/** Names a declaration defines (`} FOO, *PFOO;`, `typedef struct _FOO`). */
function definedNames(text: string): string[] {
  const names = new Set<string>();
  const tail = /\}\s*([^;{}]+);\s*$/.exec(text.trim());
  if (tail) for (const part of tail[1].split(',')) names.add(part.replace(/[*\s]/g, ''));
  const tag = /typedef\s+(?:struct|union)\s+(\w+)/.exec(text);
  if (tag) names.add(tag[1]);
  return [...names].filter((n) => n !== '');
}

interface Probe {
  /** Types measured from their documented declaration under a private name. */
  renamed: Set<string>;
  entries: Entry[];
  docs: Map<string, { file: string; text: string }>;
  support: Map<string, string>;
}

function probeSource(p: Probe, order: string[]): { text: string; firstEntryLine: number } {
  const lines = [
    '#define _AMD64_ 1',
    '#define NTDDI_VERSION 0x0A00000C',
    '#define _WIN32_WINNT 0x0A00',
    '#include <ntifs.h>',
    '#include <ntstrsafe.h>',
    '#include <ktmtypes.h>',
    // winioctl.h is a user-mode header: it wants the Win32 base types.
    'typedef unsigned long DWORD; typedef unsigned short WORD; typedef unsigned char BYTE; typedef int BOOL;',
    'typedef DWORD *PDWORD, *LPDWORD; typedef BYTE *PBYTE; typedef WORD *PWORD; typedef DWORD64 *PDWORD64;',
    '#include <winioctl.h>',
    '#include <inaddr.h>',
    '#include <in6addr.h>',
    '#include <stddef.h>',
  ];
  for (const [name, spelling] of p.support) lines.push(`typedef ${spelling} ${name};`);
  for (const name of order) lines.push(...p.docs.get(name)!.text.split('\n'));
  const firstEntryLine = lines.length + 1;
  p.entries.forEach((e, i) => {
    const type = p.renamed.has(e.type) ? `${RENAMED}${e.type}` : e.type;
    lines.push(e.member === 'sizeof' ? `const unsigned long long v${i} = sizeof(${type});` : `const unsigned long long v${i} = offsetof(${type}, ${e.member});`);
  });
  return { text: lines.join('\n') + '\n', firstEntryLine };
}

/** Docs declarations ordered so each comes after the ones whose names it uses. */
function dependencyOrder(docs: Map<string, { text: string }>): string[] {
  const defines = new Map<string, string>();
  for (const [key, d] of docs) for (const n of definedNames(d.text)) defines.set(n, key);
  const order: string[] = [];
  const state = new Map<string, number>();
  const visit = (key: string) => {
    if (state.get(key) === 2 || state.get(key) === 1) return;
    state.set(key, 1);
    const words = new Set(docs.get(key)!.text.match(/\b\w+\b/g) ?? []);
    for (const w of words) {
      const dep = defines.get(w);
      if (dep && dep !== key) visit(dep);
    }
    state.set(key, 2);
    order.push(key);
  };
  for (const key of docs.keys()) visit(key);
  return order;
}

function compile(src: string, dir: string): { asm?: string; errors: { line: number; message: string }[] } {
  const file = join(dir, 'probe.c');
  writeFileSync(file, src);
  try {
    const asm = execFileSync(CC, ['-S', '-O0', '-w', '-fms-extensions', '-I', join(MINGW_INCLUDE, 'ddk'), '-o', '-', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    return { asm, errors: [] };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '');
    const errors = [...stderr.matchAll(/probe\.c:(\d+):\d+: error: (.*)/g)].map((m) => ({ line: Number(m[1]), message: m[2] }));
    return { errors };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const docsRoot = args[args.indexOf('--docs') + 1];
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : 'test/fixtures/wdk-layouts.tsv';
  if (!existsSync(join(MINGW_INCLUDE, 'ddk', 'ntifs.h'))) {
    console.error(`no ${MINGW_INCLUDE}/ddk/ntifs.h: apt-get install gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev`);
    process.exit(2);
  }
  const docs = args.includes('--docs') && docsRoot ? loadDocs(docsRoot) : undefined;
  await loadCLanguage();
  const prelude = compilePrelude();
  const own = prelude.scope.own();

  // Every struct with a typedef name, once, under its display name.
  const structs = new Map<string, StructType>();
  for (const [name, t] of own.typedefs) {
    if (t.kind !== 'struct' || !t.fields || name.startsWith('__')) continue;
    const display = t.displayName ?? name;
    if (!structs.has(display)) structs.set(display, t);
  }
  const allEntries: Entry[] = [];
  for (const [name, t] of structs) {
    allEntries.push({ type: name, member: 'sizeof' });
    const paths: string[][] = [];
    memberPaths(t, [], 2, paths);
    for (const p of paths) allEntries.push({ type: name, member: p.join('.') });
  }

  const dir = mkdtempSync(join(tmpdir(), 'wdk-layouts-'));
  const probe: Probe = { renamed: new Set(), entries: [...allEntries], docs: new Map(), support: new Map() };
  for (const name of docs ? DOCS_NEWER_THAN_MINGW : []) {
    const d = docsDeclaration(docs!, name);
    if (!d) continue;
    let text = d.text;
    for (const n of definedNames(d.text)) text = text.replace(new RegExp(`\\b${n}\\b`, 'g'), `${RENAMED}${n}`);
    probe.docs.set(name, { file: d.file, text });
    probe.renamed.add(name);
  }
  const source = new Map<string, string>();
  const failed = new Map<string, string>();
  const tried = new Set<string>();
  let asm: string | undefined;
  for (let round = 0; round < 60; round++) {
    const order = dependencyOrder(probe.docs);
    const { text, firstEntryLine } = probeSource(probe, order);
    const r = compile(text, dir);
    if (r.asm) {
      asm = r.asm;
      break;
    }
    let progress = false;
    const dropped = new Set<number>();
    for (const err of r.errors) {
      const unknown = /unknown type name [‘'](\w+)[’']|[‘'](\w+)[’'] undeclared|expected .* before [‘'](\w+)[’']/.exec(err.message);
      const name = unknown?.[1] ?? unknown?.[2] ?? unknown?.[3];
      if (name && !tried.has(name)) {
        tried.add(name);
        const d = docs ? docsDeclaration(docs, name) : undefined;
        if (d) {
          probe.docs.set(name, d);
          progress = true;
          continue;
        }
        const t = own.typedefs.get(name);
        const spelling = t ? scalarSpelling(t) : undefined;
        if (spelling) {
          probe.support.set(name, spelling);
          progress = true;
          continue;
        }
      }
      if (err.line >= firstEntryLine) dropped.add(err.line - firstEntryLine);
      else if (!progress) {
        // An error inside a documented declaration: leave that declaration out.
        const culprit = order.find((k) => text.split('\n').slice(0, err.line).join('\n').includes(probe.docs.get(k)!.text.split('\n')[0]));
        if (culprit && probe.docs.delete(culprit)) {
          failed.set(culprit, `its documented declaration does not compile: ${err.message}`);
          progress = true;
        }
      }
    }
    if (!progress && dropped.size === 0) throw new Error(`the probe does not compile:\n${r.errors.map((e) => `${e.line}: ${e.message}`).join('\n')}`);
    if (!progress) {
      probe.entries = probe.entries.filter((e, i) => {
        if (!dropped.has(i)) return true;
        failed.set(`${e.type}.${e.member}`, 'no source declares it so');
        return false;
      });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (!asm) throw new Error('the probe never compiled');
  const values = new Map<number, number>();
  for (const m of asm.matchAll(/^v(\d+):\s*\n\s*\.quad\s+(\d+)/gm)) values.set(Number(m[1]), Number(m[2]));

  // Which source gave each type.
  for (const [, d] of probe.docs) for (const n of definedNames(d.text)) source.set(n.replace(RENAMED, ''), `docs:${d.file.replace(/^.*\//, '').replace(/\.c$/, '')}`);
  const rows: string[] = [];
  const measured = new Set<string>();
  probe.entries.forEach((e, i) => {
    const v = values.get(i);
    if (v === undefined) return;
    measured.add(e.type);
    rows.push([e.type, e.member, String(v), source.get(e.type) ?? 'mingw'].join('\t'));
  });
  const unverified = [...structs.keys()].filter((n) => !measured.has(n)).sort();
  const gcc = execFileSync(CC, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const pkg = (p: string) => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f', '${Version}', p], { encoding: 'utf8' });
    } catch {
      return 'unknown';
    }
  };
  const header = [
    '# x64 sizeof/offsetof of the structs and unions fltsim\'s built-in headers declare.',
    '# Generated by `npx tsx scripts/wdk-layouts.ts --docs <windows-docs-scraper checkout>`; do not edit.',
    `# Compiler: ${gcc} (Debian gcc-mingw-w64-x86-64 ${pkg('gcc-mingw-w64-x86-64')}), MS ABI, -fms-extensions`,
    `# mingw headers: Debian mingw-w64-x86-64-dev ${pkg('mingw-w64-x86-64-dev')} (ddk/ntifs.h, ntstrsafe.h, ktmtypes.h, winioctl.h, inaddr.h, in6addr.h)`,
    docs ? `# Docs: m417z/windows-docs-scraper gh-pages ${docs.commit} (learn.microsoft.com declarations)` : '# Docs: not used',
    `# Scalar/pointer typedefs taken from fltsim's prelude for the compiler: ${[...probe.support.keys()].sort().join(' ') || '-'}`,
    `# Unverified (no source declares them): ${unverified.join(' ') || '-'}`,
    `# Members no source has (left out): ${[...failed.keys()].filter((k) => k.includes('.')).sort().join(' ') || '-'}`,
    `# Measured from the documentation although mingw declares them (mingw's shape is older): ${DOCS_NEWER_THAN_MINGW.join(' ')}`,
    '# source: mingw = the mingw header declaration; docs:<page> = the documented declaration on that page.',
    'type\tmember\tvalue\tsource',
  ];
  writeFileSync(out, `${header.join('\n')}\n${rows.join('\n')}\n`);
  console.log(`${out}: ${rows.length} numbers for ${measured.size} types (${[...measured].filter((t) => source.has(t)).length} from the docs), ${unverified.length} unverified`);
}

void main();
