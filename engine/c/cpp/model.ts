/**
 * What the C++ front end knows about the driver's C++ entities while it lowers a file to the C syntax
 * tree: functions with their C++ signatures (reference parameters, default arguments, overloads),
 * classes (the struct that holds the members, the methods as plain functions taking `this`), and
 * class templates waiting to be instantiated.
 */
import type { Loc } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import type { CType, FunctionType, StructType } from '../types';
import type { TemplateParameters } from './templateArguments';

export interface CppFunction {
  /** The name the linker and the debugger see: `Class::Method`, `ns::f`, or `f(int, ULONG)` for an overload. */
  linkName: string;
  /** Parameters as C sees them: a method's `this` first, references as pointers. */
  type: FunctionType;
  /** Per parameter as written (without `this`): whether it is a reference. */
  refParams: boolean[];
  /** Per parameter as written: an rvalue reference (`T &&`), chosen only for an argument cast to one. */
  rvalueParams: boolean[];
  refReturn: boolean;
  /** Per parameter as written: its default argument, translated at each call that leaves it out. */
  defaults: (SyntaxNode | undefined)[];
  /** A member function's class; undefined for free functions and static members. */
  thisClass?: CppClass;
  /** The class a member function (static ones too) belongs to: its body sees the class's names. */
  memberOf?: CppClass;
  /** A `const` member function: `f() const` and `f()` are two overloads. */
  constThis: boolean;
  /** Declared `virtual`, or overriding a virtual function of a base class. */
  virtual: boolean;
  /** `= 0`: its class's vtable slot stays empty. */
  pure: boolean;
  /** Its index in its class's vtable, once the class is complete. */
  slot?: number;
  defined: boolean;
  loc: Loc;
}

export interface CppClass {
  /** Qualified name, also the struct's tag. */
  name: string;
  struct: StructType;
  /** Member functions (static ones too) by their simple name. */
  methods: Map<string, CppFunction[]>;
  ctors: CppFunction[];
  dtor?: CppFunction;
  /** Reference members (stored as pointers). */
  refFields: Set<string>;
  /** Static data members: simple name → global name (`Class::member`). */
  statics: Map<string, string>;
  /** Default member initializers (`int count = 0;`), run by every constructor before its body. */
  fieldInits: { field: string; value: SyntaxNode }[];
  /** Data members whose type is a class, in declaration order: constructed after the bases, destroyed before them. */
  members: { field: string; cls: CppClass }[];
  /** Member typedefs and aliases (`typedef T value_type;`, `using Ptr = T*;`) by simple name. */
  typedefs: Map<string, CType>;
  /** Direct base classes in declaration order; each is a member of the struct named by baseField(). */
  bases: CppClass[];
  /** Member function templates by their simple name. */
  memberTemplates: Map<string, FunctionTemplate>;
  /** A polymorphic class's vtable: per slot the function it calls (a pure virtual one's slot calls a stub that stops the run). */
  vtable?: { name: string; fn: CppFunction }[];
}

/** A class with nothing in it yet (its members are added as its body is read). */
export function emptyClass(name: string, struct: StructType): CppClass {
  return { name, struct, methods: new Map(), ctors: [], refFields: new Set(), statics: new Map(), fieldInits: [], members: [], typedefs: new Map(), bases: [], memberTemplates: new Map() };
}

/** The struct member holding a base class's subobject: anonymous, so the base's members are found through it. */
export function baseField(base: CppClass): string {
  return `<anonymous base ${base.name}>`;
}

/** The closure parameter of a capturing lambda's function (engine/c/cpp/lambdas.ts): the object its captures are read from. */
export const CLOSURE = '<closure>';

/** The member holding a polymorphic object's vtable pointer (MSVC's name for it). */
export const VFPTR = '__vfptr';

export interface ClassTemplate {
  name: string;
  /** The parameters' names (parameters.names). */
  params: string[];
  parameters: TemplateParameters;
  /** The class_specifier / struct_specifier under the template declaration. */
  node: SyntaxNode;
  instances: Map<string, CppClass>;
  /** Member functions defined outside the class (`template<class T> void C<T>::F() {…}`), defined for each instance. */
  members: SyntaxNode[];
  /** Nested classes defined outside the class (`template<class T> class C<T>::iterator {…}`), defined for each instance. */
  memberClasses: { name: string; node: SyntaxNode }[];
  /** Members written outside the class in a form fltsim does not lower (a member template of the class template): refused when an instance is made, not before. */
  unsupportedMembers: SyntaxNode[];
  /** Partial specialisations (`template<class T> struct C<T&> {…}`), in the order written (engine/c/cpp/partialSpecialisations.ts). */
  partials: PartialSpecialisation[];
  /** Full specialisations (`template<> struct C<int> {…}`) by the instance's name (`C<int>`): that instance is made from this body. */
  specialisations: Map<string, SyntaxNode>;
}

/** `template<class T> struct C<T&> {…}`: its parameters and, per argument, the parameter it names and how. */
export interface PartialSpecialisation {
  params: string[];
  patterns: { param: string; shape: 'plain' | 'lvalue' | 'rvalue' | 'pointer' }[];
  /** The class_specifier / struct_specifier written. */
  node: SyntaxNode;
}

/** `template<ULONG Tag> using NPString = BasicString<WCHAR, NonPaged, Tag>;`: an alias template. */
export interface AliasTemplate {
  parameters: TemplateParameters;
  /** The type_descriptor the alias names. */
  type: SyntaxNode;
}

/** A function template (free, or a member template of `owner`), instantiated per argument list on use. */
export interface FunctionTemplate {
  name: string;
  params: string[];
  /** The function_definition under the template declaration. */
  node: SyntaxNode;
  owner?: CppClass;
  instances: Map<string, CppFunction>;
}

/** A local, parameter or global as the front end types expressions with it. */
export interface CppVariable {
  type: CType;
  /** A reference: `type` is the pointer C stores, every use reads through it. */
  ref: boolean;
  /** Captured by the lambda whose body is lowered: read from its closure object (engine/c/cpp/lambdas.ts). */
  captured?: boolean;
}
