/**
 * A driver project: the translation units that are compiled and linked into one driver, the folders
 * `#include "…"` searches, the preprocessor definitions, and a name. The runner, the debugger, the
 * linter and the language server all start from this one shape, whichever way it was described
 * (a .vcxproj, a folder, or a list of .c files).
 */

export type ProjectSource =
  /** Read from a Visual Studio project file. */
  | { kind: 'vcxproj'; file: string; configuration: string | undefined }
  /** Every .c file of one folder. */
  | { kind: 'folder'; folder: string }
  /** An explicit list of .c files (a scenario's `driver "a.c" "b.c"`, or one file). */
  | { kind: 'files' };

export interface ProjectNote {
  /** `error` stops a run; `note` is information (a dropped `$(…)` reference, a missing listed file). */
  severity: 'error' | 'note';
  message: string;
  /** Where it comes from: the project file or a listed file; line 1 when the line is not known. */
  file: string;
  line: number;
}

export interface DriverProject {
  /** The module name: `expect calls name!Fn`, `unload name`. */
  name: string;
  source: ProjectSource;
  /** Absolute paths of the .c files, in project order, each as found on disk. */
  units: string[];
  /**
   * Absolute paths of the C++ sources (.cpp, .cc, .cxx): the linter reads them with the C++
   * grammar; a run lowers them to C through engine/c/cpp/ and links them with the C units.
   */
  cppUnits?: string[];
  /** Absolute folders searched by `#include "…"` after the including file's own folder, in order. */
  includeDirs: string[];
  /** `NAME` → replacement text (`1` when the project gives none), in project order. */
  defines: Map<string, string>;
  notes: ProjectNote[];
}

/** Whether a source file is C++ (read with the C++ grammar: engine/c/cpp/). */
export function isCppSource(file: string): boolean {
  return /\.(?:cpp|cc|cxx)$/i.test(file);
}

/** Every source of a project the linter reads: its C units, then its C++ ones. */
export function lintUnits(project: DriverProject): string[] {
  return [...project.units, ...(project.cppUnits ?? [])];
}

/** Headers whose inclusion marks a kernel-mode source (the others are user-mode tools). */
export const KERNEL_HEADERS = ['fltkernel.h', 'ntifs.h', 'wdm.h', 'ntddk.h'];

const KERNEL_INCLUDE = new RegExp(`#\\s*include\\s*[<"](?:[^>"]*[\\\\/])?(?:${KERNEL_HEADERS.map((h) => h.replace('.', '\\.')).join('|')})[>"]`, 'i');

/** Whether a source includes a kernel header itself (a cheap text test, before any parsing). */
export function includesKernelHeader(text: string): boolean {
  return KERNEL_INCLUDE.test(text);
}
