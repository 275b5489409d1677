import { loadC } from '../test/unit/interp/harness';
async function main() {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _PAIR { int a; char b; } PAIR;
typedef struct _BIG { LONGLONG q; char c; } BIG;
int cmpmix(void) { return -1 < 1u; }
int charar(void) { char c = 'A'; return c + 1; }
int shneg(void) { int x = -16; return x >> 2; }
ULONGLONG wrap64(void) { ULONGLONG x = 0; x = x - 1; return x == 0xFFFFFFFFFFFFFFFFull; }
ULONGLONG top64(void) { ULONGLONG x = 0x8000000000000000ull; return x >> 63; }
int sizes(void) { return sizeof(ULONG) * 1000 + sizeof(PVOID) * 100 + sizeof(PAIR) * 10 + sizeof(char); }
int sizebig(void) { return sizeof(BIG); }
int sizearr(void) { int a[7]; return sizeof(a) / sizeof(a[0]); }
int casts(void) { return (UCHAR)0x1ff + (LONG)0xffffffffu * 1000; }
int fcast(void) { double d = 3.9; return (int)d + (int)-2.5 * 10; }
int counter;
int bump(void) { counter++; return 1; }
int shortc(void) { counter = 0; int r = (0 && bump()) + (1 || bump()) * 10; return r * 100 + counter; }
int cond(int v) { counter = 0; return v ? bump() + 10 : bump() + 20; }
int comma(void) { int a = 1; int b = (a++, a * 10); return b; }
int incs(void) { int a[3] = {10, 20, 30}; int *p = a; int x = *p++; int y = *++p; int z = (*p)--; return x * 10000 + y * 100 + z + a[2]; }
int ptrdiff(void) { int a[5]; int *p = &a[4]; int *q = &a[1]; return (int)(p - q) * 10 + (p > q); }
int twice(int x) { return 2 * x; }
int add1(int x) { return x + 1; }
int fptr(int i, int v) { int (*table[2])(int) = { twice, add1 }; int (*f)(int) = table[i]; return f(v) + (*f)(v); }
int wide(void) { WCHAR s[] = L"ab"; return s[1] + sizeof(s); }
int strl(void) { const char *s = "hey"; return s[2] + (int)sizeof("hey"); }
int derefs(void) { PAIR p; PAIR *pp = &p; pp->a = 5; (*pp).b = 2; return *&p.a + p.b; }
int offs(void) { return FIELD_OFFSET(BIG, c); }
int compound(void) { PAIR p = (PAIR){ 3, 4 }; return p.a * 10 + p.b; }
int cassign(void) { PAIR arr[2]; PAIR *p = arr; arr[1].a = 6; p[1].a <<= 2; (p + 1)->a |= 1; arr[1].a -= 3; return arr[1].a; }
int fname(void) { const char *n = __FUNCTION__; return n[0]; }
int divz(int d) { return 10 / d; }
int nullf(void) { int (*f)(int) = NULL; return f(1); }
int oob(int i) { int a[3] = {0}; return a[i]; }
int nulld(void) { PAIR *p = NULL; return p->a; }
int neg(void) { int a = 5; return -a + ~a + !a + !0; }
int mod(void) { return (-7) % 3 * 10 + 7 % -3; }
UCHAR ucw(void) { UCHAR c = 200; return c * 2; }
int promote(void) { UCHAR a = 200, b = 100; return a + b; }
unsigned int udiv(void) { int a = -6; unsigned int b = 4; return a / b; }
`);
  console.log(h.diagnostics);
  for (const [n, ...a] of [['cmpmix'],['charar'],['shneg'],['wrap64'],['top64'],['sizes'],['sizebig'],['sizearr'],['casts'],['fcast'],['shortc'],['cond',1],['cond',0],['comma'],['incs'],['ptrdiff'],['fptr',0,5],['fptr',1,5],['wide'],['strl'],['derefs'],['offs'],['compound'],['cassign'],['fname'],['divz',0],['nullf'],['oob',3],['nulld'],['neg'],['mod'],['ucw'],['promote'],['udiv']] as [string, ...number[]][]) {
    try { console.log(n, a, h.call(n, ...a)); } catch (e) { console.log(n, a, 'THROWS', (e as Error).constructor.name, (e as Error).message, JSON.stringify((e as any).loc)); }
  }
  console.log(h.violations);
}
void main();
