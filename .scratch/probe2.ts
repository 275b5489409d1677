import { loadC } from '../test/unit/interp/harness';
async function main() {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _PAIR { int a; int b; } PAIR;
int chain(int v) { if (v < 0) return -1; else if (v == 0) return 0; else if (v < 10) return 1; else return 2; }
int dangling(int a, int b) { int r = 0; if (a) if (b) r = 1; else r = 2; return r; }
int contfor(void) { int s = 0, i; for (i = 0; i < 5; i++) { if (i % 2) continue; s += i; } return s * 100 + i; }
int dowhile(int n) { int runs = 0; do { runs++; } while (n-- > 10); return runs; }
int forever(void) { int i = 0; for (;;) { if (++i == 7) break; } return i; }
int scoped(void) { int x = 1; { int x = 2; x++; } for (int x = 10; x < 11; x++) { } return x; }
int swdef(int v) { int r = 0; switch (v) { case 1: r = 1; break; default: r = 50; case 2: r += 2; break; case 3: r = 3; } return r; }
int swnone(int v) { int r = 7; switch (v) { case 1: r = 1; } return r; }
int swnested(int a, int b) { int r = 0; switch (a) { case 1: switch (b) { case 1: r += 10; break; default: r += 20; } r += 1; break; case 2: r = 99; } return r; }
int swloop(void) { int i, s = 0; for (i = 0; i < 4; i++) { switch (i) { case 1: continue; case 3: s += 100; break; default: s += 1; } s += 10; } return s; }
#define TWO 2
enum { THREE = 3 };
int swconst(int v) { switch (v) { case TWO * 2: return 4; case THREE: return 3; case 'a': return 97; } return -1; }
int gotoloop(int n) { int i = 0; again: i++; if (i < n) goto again; return i; }
int gotoout(void) { int i, j, hits = 0; for (i = 0; i < 3; i++) for (j = 0; j < 3; j++) { hits++; if (i == 1 && j == 1) goto done; } done: return hits; }
ULONG retconv(void) { return -1; }
int retint(void) { return 3.7; }
PAIR mk(int a) { PAIR p; p.a = a; p.b = a * 2; return p; }
int structret(void) { PAIR x = mk(4); PAIR y = x; y.a = 100; return x.a * 100 + x.b + (y.a == 100); }
int calls;
void noret(int v) { if (v) return; calls++; }
int voidret(void) { calls = 0; noret(1); noret(0); noret(0); return calls; }
int stat(void) { static int n = 5; return n++; }
int tryleave(int v) { int r = 0; __try { r = 1; if (v) __leave; r = 2; } __finally { r += 10; } return r; }
int tryret(void) { calls = 0; __try { return 5; } __finally { calls = 42; } return 0; }
int after(void) { return calls; }
int uninit(int v) { int x; if (v) x = 1; return x; }
int arr(void) { int a[] = { 1, 2, 3, 4 }; int i, s = 0; for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) s += a[i]; return s; }
int multi(void) { int a = 1, b = a + 1, c[2] = { b, a }; return a * 100 + b * 10 + c[0] + c[1]; }
`);
  console.log(h.diagnostics);
  for (const [n, ...a] of [['chain',-5],['chain',0],['chain',5],['chain',50],['dangling',1,0],['dangling',0,1],['dangling',1,1],['contfor'],['dowhile',0],['dowhile',12],['forever'],['scoped'],['swdef',1],['swdef',2],['swdef',3],['swdef',9],['swnone',5],['swnested',1,1],['swnested',1,5],['swnested',2,0],['swloop'],['swconst',4],['swconst',3],['swconst',97],['swconst',2],['gotoloop',5],['gotoout'],['retconv'],['retint'],['structret'],['voidret'],['stat'],['stat'],['stat'],['tryleave',1],['tryleave',0],['tryret'],['after'],['uninit',0],['uninit',1],['arr'],['multi']] as [string, ...number[]][]) {
    try { console.log(n, a, h.call(n, ...a)); } catch (e) { console.log(n, a, 'THROWS', (e as Error).constructor.name, (e as Error).message, JSON.stringify((e as any).loc)); }
  }
  console.log(h.violations);
  const h2 = await loadC(`
int dup(int v) { switch (v) { case 1: return 1; case 1: return 2; } return 0; }
int nonconst(int v, int w) { switch (v) { case w: return 1; } return 0; }
int unk(void) { int a[]; return 0; }
int fine(void) { return 1; }
int undecl(void) { return nosuch + 1; }
`);
  console.log(h2.diagnostics);
  for (const n of ['dup', 'nonconst', 'unk', 'fine', 'undecl']) {
    try { console.log(n, h2.call(n, 1, 2)); } catch (e) { console.log(n, 'THROWS', (e as any).kind, (e as Error).message, JSON.stringify((e as any).loc)); }
  }
}
void main();
