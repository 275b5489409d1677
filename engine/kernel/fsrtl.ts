/**
 * File-system runtime helpers (FsRtl*) that filters call on their own account.
 */
import { unicodeStringText, type UnicodeString } from './cvalues';
import type { Kernel } from './kernel';

/** Exception codes that mean a bug (a fault) rather than a status a file system expects to see. */
const UNEXPECTED = new Set<number>([
  0x80000002, // STATUS_DATATYPE_MISALIGNMENT
  0xc0000005, // STATUS_ACCESS_VIOLATION
  0xc000001d, // STATUS_ILLEGAL_INSTRUCTION
  0xc00000aa, // STATUS_INSTRUCTION_MISALIGNMENT
]);

/** The wildcards of FsRtlIsNameInExpression: `*`, `?`, and the DOS forms `<` (DOS_STAR), `>` (DOS_QM), `"` (DOS_DOT). */
const WILDCARDS = /[*?<>"]/;

/**
 * Whether `name` matches `expr` as the file systems match directory search expressions: `*` any run
 * of characters, `?` one character, `<` any run up to the name's last dot, `>` one character (or
 * none, before a dot or at the end), `"` a dot (or nothing at the end).
 */
export function nameInExpression(expr: string, name: string): boolean {
  const memo = new Map<number, boolean>();
  const lastDot = name.lastIndexOf('.');
  const match = (e: number, n: number): boolean => {
    const key = e * (name.length + 1) + n;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (e === expr.length) r = n === name.length;
    else {
      const c = expr[e]!;
      switch (c) {
        case '*':
          r = match(e + 1, n) || (n < name.length && match(e, n + 1));
          break;
        case '<':
          // Any run that does not pass the last dot of the name.
          r = match(e + 1, n) || (n < name.length && (lastDot < 0 || n < lastDot) && match(e, n + 1));
          break;
        case '?':
          r = n < name.length && match(e + 1, n + 1);
          break;
        case '>':
          r = n === name.length || name[n] === '.' ? match(e + 1, n) : match(e + 1, n + 1);
          break;
        case '"':
          r = n === name.length ? match(e + 1, n) : name[n] === '.' && match(e + 1, n + 1);
          break;
        default:
          r = n < name.length && name[n] === c && match(e + 1, n + 1);
      }
    }
    memo.set(key, r);
    return r;
  };
  return match(0, 0);
}

export class FsRtlRoutines {
  constructor(private readonly k: Kernel) {}

  /** IgnoreCase compares the name upcased: the expression itself must already be in upper case. */
  FsRtlIsNameInExpression(Expression: unknown, Name: unknown, IgnoreCase: unknown, _UpcaseTable: unknown): number {
    const k = this.k;
    k.checkIrql('FsRtlIsNameInExpression');
    if (Expression === null || Expression === undefined || Name === null || Name === undefined) {
      k.violation('null-param', 'FsRtlIsNameInExpression needs the expression and the name');
      return 0;
    }
    const expr = unicodeStringText(k.marshal.deref<UnicodeString>(Expression, '_UNICODE_STRING'));
    let name = unicodeStringText(k.marshal.deref<UnicodeString>(Name, '_UNICODE_STRING'));
    if (IgnoreCase) {
      if (expr !== expr.toUpperCase()) {
        k.violation('invalid-parameter', `FsRtlIsNameInExpression with IgnoreCase: the expression "${expr}" must be upper case (upcase it with RtlUpcaseUnicodeString first)`);
      }
      name = name.toUpperCase();
    }
    return nameInExpression(expr, name) ? 1 : 0;
  }

  FsRtlDoesNameContainWildCards(Name: unknown): number {
    const k = this.k;
    k.checkIrql('FsRtlDoesNameContainWildCards');
    return WILDCARDS.test(unicodeStringText(k.marshal.deref<UnicodeString>(Name, '_UNICODE_STRING'))) ? 1 : 0;
  }

  /** TRUE unless the exception code is one a try/except around user buffers should not swallow. */
  FsRtlIsNtstatusExpected(Exception: number): number {
    this.k.checkIrql('FsRtlIsNtstatusExpected');
    return UNEXPECTED.has(Number(Exception) >>> 0) ? 0 : 1;
  }
}
