import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, posix } from 'node:path';
import { compileTranslationUnit } from '../engine/c/program';
import { IGNORED_HEADERS, preludeHeaders } from '../engine/c/prelude';
import { loadCLanguage } from '../engine/c/treeSitter';
function isConst(e: any): boolean {
  switch (e.k) { case 'num': case 'float': case 'sizeofType': case 'sizeofExpr': return true;
    case 'unary': return ['-','+','~','!'].includes(e.op) && isConst(e.arg);
    case 'binary': return isConst(e.left) && isConst(e.right);
    case 'cond': return isConst(e.test) && isConst(e.then) && isConst(e.else);
    case 'cast': return isConst(e.arg);
    case 'call': return e.callee.k === 'id' && ['FIELD_OFFSET','offsetof'].includes(e.callee.name);
    default: return false; }
}
function walk(x: any, out: any[]) { if (!x || typeof x !== 'object') return; if (Array.isArray(x)) { for (const y of x) walk(y, out); return; }
  if (x.k === 'case' && x.value) out.push(x); if (x.designators) for (const d of x.designators) if (d.index) out.push({ value: d.index, loc: d.index.loc });
  for (const [k, v] of Object.entries(x)) if (k !== 'type' && k !== 'loc') walk(v, out); }
async function main() {
  await loadCLanguage();
  const root = '/tmp/wds/filesys/miniFilter';
  const files: string[] = [];
  (function w(d: string) { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) w(p); else if (/\.c$/.test(e)) files.push(p); } })(root);
  let n = 0, bad = 0;
  for (const f of files) {
    const dirs = new Set<string>(); let d = dirname(f); dirs.add(d); dirs.add(join(d, '..', 'inc')); dirs.add(join(d, 'inc')); dirs.add(join(d,'..'));
    const unit = compileTranslationUnit(f, { readFile: (p) => existsSync(p) ? readFileSync(p, 'utf8') : undefined, dirname: posix.dirname, join: posix.join, systemHeaders: preludeHeaders(), ignoredHeaders: IGNORED_HEADERS, includeDirs: [...dirs] } as any);
    const out: any[] = [];
    for (const fn of unit.functions.values()) walk((fn as any).body, out);
    walk([...(unit as any).globals?.values?.() ?? []], out);
    for (const c of out) { n++; if (!isConst(c.value)) { bad++; console.log(f, c.loc?.line, JSON.stringify(c.value).slice(0, 200)); } }
  }
  console.log('case labels/designators', n, 'non-constant', bad);
}
void main();
