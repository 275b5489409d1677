/**
 * What the translator knows by name while walking a file top to bottom: typedefs, struct/union/enum
 * tags and enum constants (C requires a name to be declared before use, which is also how `(T) - x`
 * is told apart from a subtraction).
 */
import type { CType, StructType } from './types';

export class Scope {
  private readonly typedefs = new Map<string, CType>();
  private readonly tags = new Map<string, StructType | { kind: 'enum' }>();
  private readonly enumConstants = new Map<string, number>();
  /** Variables and parameters declared here: they hide typedefs and enum constants of outer scopes. */
  private readonly objects = new Set<string>();
  /** Their types, once the declaration is complete: `sizeof array` in a constant expression needs them. */
  private readonly objectTypes = new Map<string, CType>();

  constructor(private readonly parent?: Scope) {}

  child(): Scope {
    return new Scope(this);
  }

  defineTypedef(name: string, type: CType): void {
    this.typedefs.set(name, type);
  }

  typedef(name: string): CType | undefined {
    if (this.objects.has(name)) return undefined;
    const own = this.typedefs.get(name);
    if (own !== undefined) return own;
    const outer = this.parent?.typedef(name);
    return outer === undefined ? undefined : this.completed(outer);
  }

  /**
   * An outer typedef of a struct the outer scope leaves incomplete (the built-in headers' `typedef
   * struct _PEB *PPEB;`), seen through the definition this file gives the tag: C completes the one
   * type, and each file may complete it for itself.
   */
  private completed(t: CType): CType {
    const st = t.kind === 'ptr' ? t.to : t;
    if (st.kind !== 'struct' || st.fields) return t;
    const mine = this.tag(st.tag);
    if (mine?.kind !== 'struct' || mine === st || !mine.fields) return t;
    return t.kind === 'ptr' ? { ...t, to: mine } : mine;
  }

  /** The tag as this scope itself defines it, not an outer one's. */
  ownTag(name: string): StructType | { kind: 'enum' } | undefined {
    return this.tags.get(name);
  }

  /** `int FileNameInformation;` in a block: the name is a variable there, whatever it was outside. */
  defineObject(name: string): void {
    this.objects.add(name);
  }

  /** The declared type of a variable, `T a[] = {…}` with the length its initializer gave. */
  setObjectType(name: string, type: CType): void {
    this.objectTypes.set(name, type);
  }

  objectType(name: string): CType | undefined {
    const own = this.objectTypes.get(name);
    if (own !== undefined || this.objects.has(name)) return own;
    return this.parent?.objectType(name);
  }

  isTypeName(name: string): boolean {
    return this.typedef(name) !== undefined;
  }

  defineTag(name: string, type: StructType | { kind: 'enum' }): void {
    this.tags.set(name, type);
  }

  tag(name: string): StructType | { kind: 'enum' } | undefined {
    return this.tags.get(name) ?? this.parent?.tag(name);
  }

  defineEnumConstant(name: string, value: number): void {
    this.enumConstants.set(name, value);
  }

  enumConstant(name: string): number | undefined {
    if (this.objects.has(name)) return undefined;
    return this.enumConstants.get(name) ?? this.parent?.enumConstant(name);
  }

  /** Everything defined at this level, for the Program's tables. */
  own(): { typedefs: Map<string, CType>; tags: Map<string, StructType | { kind: 'enum' }>; enumConstants: Map<string, number> } {
    return { typedefs: this.typedefs, tags: this.tags, enumConstants: this.enumConstants };
  }
}
