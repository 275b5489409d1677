/**
 * C objects read out of memory as TypeScript values, for tests and tools that look at a driver's
 * globals: scalars as numbers and pointer values, structs as typed views, arrays as JS arrays.
 */
import type { CType } from '../c/types';
import type { AllocPtr } from '../memory/pointer';
import { loadAt } from '../memory/typed';
import { viewAt } from '../memory/view';
import { sizeOf } from '../c/types';

export function readValue(p: AllocPtr, t: CType): unknown {
  switch (t.kind) {
    case 'struct':
      return viewAt(p.alloc, p.offset, t);
    case 'array': {
      const n = t.length ?? 0;
      const each = sizeOf(t.of);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(p.add(i * each) as AllocPtr, t.of));
      return out;
    }
    default:
      return loadAt(p.alloc, p.offset, t);
  }
}
