/** Block-scoped names of a function being compiled: its locals (slot or memory) and static locals. */
import type { Loc } from '../c/ast';
import type { CType } from '../c/types';
import type { LocalVar } from './frame';
import type { GlobalSlot } from './compileScope';

/** Block-scoped names of one function being compiled. */
export class FunctionScope {
  readonly locals: LocalVar[] = [];
  private readonly blocks: Map<string, { local?: LocalVar; static?: GlobalSlot }>[] = [new Map()];

  constructor(
    /** Storage for a static local, made once when its declaration is compiled. */
    private readonly staticStorage: (name: string, type: CType) => GlobalSlot,
    private readonly fnName: string,
    /** Names the function applies `&` to somewhere: those locals live in memory. */
    private readonly addressed: ReadonlySet<string> = new Set(),
  ) {}

  push(): void {
    this.blocks.push(new Map());
  }

  pop(): void {
    this.blocks.pop();
  }

  declare(name: string, type: CType, loc: Loc, param = false, inMemory?: boolean): LocalVar {
    const local: LocalVar = { name, type, slot: this.locals.length, loc, param, inMemory: inMemory ?? (type.kind === 'struct' || type.kind === 'array' || this.addressed.has(name)) };
    this.locals.push(local);
    this.blocks[this.blocks.length - 1].set(name, { local });
    return local;
  }

  declareStatic(name: string, type: CType): GlobalSlot {
    const slot = this.staticStorage(`${this.fnName}::${name}`, type);
    this.blocks[this.blocks.length - 1].set(name, { static: slot });
    return slot;
  }

  lookup(name: string): { local?: LocalVar; static?: GlobalSlot } | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const hit = this.blocks[i].get(name);
      if (hit) return hit;
    }
    return undefined;
  }
}
