/**
 * A driver project read from a Visual Studio `.vcxproj`: its `ClCompile` items, and the
 * `AdditionalIncludeDirectories` and `PreprocessorDefinitions` of the C compiler for one
 * configuration (Debug|x64 when the project has it, else its first 64-bit debug one, else the first
 * x64 one, else the first it lists: chooseConfiguration).
 *
 * Evaluation follows MSBuild in the parts that matter here: properties first (in document order,
 * local .props imports included), then item definitions, then items, each element kept only when
 * its `Condition` holds. References the project cannot resolve (the WDK's `$(DDK_INC_PATH)`, the
 * inherited `%(PreprocessorDefinitions)`) are dropped and reported as notes.
 */
import { baseName, caseMismatch, fileName, findFile, findFolder, locateFile, locateFolder, rulesOf, unreadableReason, writtenPathKey, type PathRules, type ProjectFiles } from '../files';
import { isCppSource, type DriverProject, type ProjectNote } from './model';
import { evaluateCondition, expandProperties, type FileAbove } from './msbuild';
import { filesNamed } from './filesNamed';
import { lineAt, lineOf, parseXml, type XmlElement } from './xml';

/** The configuration fltsim simulates: a 64-bit debug build, as a developer runs it first. */
export const PREFERRED_CONFIGURATION = 'Debug|x64';

/**
 * The configuration fltsim reads: Debug|x64; else the first 64-bit debug one the WDK 8/8.1 templates
 * name after a target (`Win8.1 Debug|x64`, `Win7 Debug|x64`), since fltsim runs the x64 build; else
 * the first x64 one; else the first listed.
 */
export function chooseConfiguration(configs: readonly string[]): string | undefined {
  const lower = configs.map((c) => c.toLowerCase());
  const at = (test: (c: string) => boolean) => {
    const i = lower.findIndex(test);
    return i < 0 ? undefined : configs[i];
  };
  return at((c) => c === PREFERRED_CONFIGURATION.toLowerCase())
    ?? at((c) => c.endsWith('|x64') && /\bdebug\b/.test(c.split('|')[0]!))
    ?? at((c) => c.endsWith('|x64'))
    ?? configs[0];
}

interface Evaluation {
  props: Map<string, string>;
  /**
   * References a property's value dropped when it was set. They are reported only when a value
   * fltsim uses (an include folder, a definition, a file name) refers to the property.
   */
  drops: Map<string, string[]>;
  notes: ProjectNote[];
  noted: Set<string>;
  /** The file being read (the project, or a .props it imports) and its text, for notes' lines. */
  file: string;
  text: string;
  files: ProjectFiles;
  above: FileAbove;
  /** Set when no .sln is above the project and `$(SolutionDir)` is its parent folder (solutionDir). */
  solutionGuessed?: string;
  /** ItemDefinitionGroups of the project and of the files it imports, in MSBuild's import order. */
  itemDefinitions: Sourced[];
  rules: PathRules;
  /**
   * Properties the build gives the project from outside (MSBuild's global properties: the
   * configuration and platform being built). A project's own `<Configuration>` — a template's
   * leftover "Win8 Debug" — does not override them, as MSBuild ignores it too.
   */
  globals: Set<string>;
}

/** `at`: the text to point at (its first line in the project), or a line already known. */
/** An element and the file it was read from. */
interface Sourced {
  el: XmlElement;
  file: string;
  text: string;
}

/** Runs `fn` with notes pointing into `src`'s file. */
function within<T>(ev: Evaluation, src: { file: string; text: string }, fn: () => T): T {
  const [file, text] = [ev.file, ev.text];
  ev.file = src.file;
  ev.text = src.text;
  try {
    return fn();
  } finally {
    ev.file = file;
    ev.text = text;
  }
}

function note(ev: Evaluation, message: string, at?: string | number | { file: string; line: number }): void {
  if (ev.noted.has(message)) return;
  ev.noted.add(message);
  if (typeof at === 'object') ev.notes.push({ severity: 'note', message, file: at.file, line: at.line });
  else ev.notes.push({ severity: 'note', message, file: ev.file, line: typeof at === 'number' ? at : at ? lineOf(ev.text, at) : 1 });
}

/**
 * The line of a value of a setting: where it is written inside the element that set it, else that
 * element's line (an entry that came from a property, `$(ProjectDir)..\inc`, is not in the file as
 * fltsim expanded it).
 */
function lineOfValue(ev: Evaluation, value: string, element: XmlElement | undefined): number {
  if (element === undefined) return 1;
  const raw = element.text.trim();
  let start = raw !== '' ? ev.text.indexOf(raw) : -1;
  if (start < 0) start = Math.max(0, ev.text.indexOf(`<${element.name}`));
  const end = raw !== '' && ev.text.startsWith(raw, start) ? start + raw.length : start;
  const within = ev.text.indexOf(value, start);
  return lineAt(ev.text, within >= 0 && within + value.length <= end ? within : start);
}

function withSlash(rules: PathRules, dir: string): string {
  return dir.endsWith(rules.sep) ? dir : dir + rules.sep;
}

function holds(ev: Evaluation, el: XmlElement): boolean {
  const cond = el.attrs.Condition;
  if (cond === undefined || cond.trim() === '') return true;
  const exp = expandProperties(cond, ev.props, undefined, ev.above);
  const r = evaluateCondition(exp.value, (p) => {
    const abs = ev.rules.resolve(ev.props.get('msbuildprojectdirectory') ?? '.', p);
    return findFile(ev.files, abs) !== undefined || findFolder(ev.files, abs) !== undefined;
  });
  if (r.ok) return r.value;
  note(ev, `cannot evaluate Condition="${cond}" (${r.message}); the element is skipped`, cond);
  return false;
}

function expand(ev: Evaluation, text: string, metadata?: ReadonlyMap<string, string>): string {
  return expandNoting(ev, text, metadata).value;
}

/** `text` with its properties expanded, each one fltsim cannot resolve noted; `dropped`: whether any was. */
function expandNoting(ev: Evaluation, text: string, metadata?: ReadonlyMap<string, string>): { value: string; dropped: boolean } {
  const r = expandProperties(text, ev.props, metadata, ev.above);
  noteGuessedSolutionDir(ev, text, text.trim().split(/\r?\n/)[0]);
  const through: string[] = [];
  for (const m of text.matchAll(/\$\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)/g)) through.push(...(ev.drops.get(m[1].toLowerCase()) ?? []));
  for (const ref of [...r.unresolved, ...through]) {
    const what = ref.startsWith('%')
      ? 'the value inherited from the imported MSBuild files is not known to fltsim'
      : 'fltsim cannot resolve it outside Visual Studio';
    note(ev, `${ref} is dropped: ${what}`, ref);
  }
  return { value: r.value, dropped: r.unresolved.length + through.length > 0 };
}

/** Says, where `text` uses `$(SolutionDir)` and no .sln was found, which folder stands in for it. */
function noteGuessedSolutionDir(ev: Evaluation, text: string, at: string): void {
  if (ev.solutionGuessed === undefined || !/\$\(\s*SolutionDir\s*\)/i.test(text)) return;
  note(ev, `$(SolutionDir) is taken as ${ev.solutionGuessed}, the project's parent folder: no .sln is above the project, and a new Visual Studio solution puts its .sln there`, at);
}

/**
 * The folder of the `.sln` nearest above the project, which is `$(SolutionDir)`. A checkout without
 * one (the .sln not committed) gets the project's parent folder, marked `guessed`: a new Visual
 * Studio solution keeps its .sln one level above the project's folder.
 */
function solutionDir(files: ProjectFiles, projectDir: string): { dir: string; guessed: boolean } {
  const found = nearestSolution(files, projectDir);
  if (found !== undefined) return { dir: found, guessed: false };
  const rules = rulesOf(files);
  return { dir: withSlash(rules, rules.dirname(projectDir)), guessed: true };
}

function nearestSolution(files: ProjectFiles, projectDir: string): string | undefined {
  const rules = rulesOf(files);
  let dir = projectDir;
  for (let i = 0; i < 4 && files.listDir; i++) {
    if (files.listDir(dir)?.some((e) => !e.folder && /\.sln$/i.test(e.name))) return withSlash(rules, dir);
    const up = rules.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

function configurations(root: XmlElement): string[] {
  const out: string[] = [];
  for (const g of root.children) {
    if (g.name !== 'ItemGroup') continue;
    for (const c of g.children) if (c.name === 'ProjectConfiguration' && c.attrs.Include) out.push(c.attrs.Include);
  }
  return out;
}

/** Properties of a project (or an imported .props) in document order. */
function evaluateProperties(ev: Evaluation, root: XmlElement, thisDir: string, depth: number): void {
  ev.props.set('msbuildthisfiledirectory', withSlash(ev.rules, thisDir));
  for (const el of root.children) {
    if (el.name === 'PropertyGroup' && holds(ev, el)) {
      for (const p of el.children) {
        if (!holds(ev, p)) continue;
        const name = p.name.toLowerCase();
        if (ev.globals.has(name)) continue;
        const r = expandProperties(p.text.trim(), ev.props, undefined, ev.above);
        noteGuessedSolutionDir(ev, p.text, p.text.trim());
        const inherited: string[] = [];
        for (const m of p.text.matchAll(/\$\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)/g)) inherited.push(...(ev.drops.get(m[1].toLowerCase()) ?? []));
        ev.props.set(name, r.value);
        ev.drops.set(name, [...r.unresolved, ...inherited]);
      }
    } else if (el.name === 'ItemDefinitionGroup') {
      ev.itemDefinitions.push({ el, file: ev.file, text: ev.text });
    } else if ((el.name === 'Import' || el.name === 'ImportGroup') && holds(ev, el)) {
      const imports = el.name === 'Import' ? [el] : el.children.filter((c) => c.name === 'Import' && holds(ev, c));
      for (const imp of imports) {
        importProps(ev, imp, thisDir, depth);
        if (/Microsoft\.Cpp\.Default\.props\s*$/i.test(imp.attrs.Project ?? '')) importDirectoryBuildProps(ev, depth);
      }
    }
  }
  ev.props.set('msbuildthisfiledirectory', withSlash(ev.rules, ev.props.get('msbuildprojectdirectory') ?? thisDir));
}

/** Properties of Visual Studio's and MSBuild's own installation: their imports are not the project's to read. */
const TOOLCHAIN_PROPERTIES = /^\$\((VCTargetsPath|UserRootDir|MSBuildExtensionsPath(32|64)?|MSBuildToolsPath|MSBuildBinPath|MSBuildSDKsPath|VCInstallDir|WDKContentRoot)\)$/i;

/**
 * Follows an `<Import>` of a local .props file; the toolchain's own (`$(VCTargetsPath)`) are skipped.
 * One that is missing, or whose path fltsim cannot resolve, is noted: the include folders and
 * definitions it would give are missing from the run. An import guarded by `Exists(…)` never gets
 * here when its file is absent, since MSBuild skips it silently too.
 */
function importProps(ev: Evaluation, imp: XmlElement, thisDir: string, depth: number): void {
  const spec = imp.attrs.Project;
  if (!spec || depth > 8) return;
  const r = expandProperties(spec, ev.props, undefined, ev.above);
  if (r.unresolved.length > 0) {
    if (!r.unresolved.some((u) => TOOLCHAIN_PROPERTIES.test(u))) {
      note(ev, `the import of ${spec} is skipped: ${r.unresolved.join(', ')} cannot be resolved outside Visual Studio, so the include folders and definitions it gives are missing`, spec);
    }
    return;
  }
  if (r.value.trim() === '') return;
  if (/[*?]/.test(r.value)) {
    for (const one of expandWildcard(ev.files, thisDir, r.value)) readImport(ev, one, spec, depth);
    return;
  }
  const file = findFile(ev.files, ev.rules.resolve(thisDir, r.value));
  if (!file) {
    note(ev, `imports ${spec}, which is not here (looked for ${ev.rules.resolve(thisDir, r.value)}): the include folders and definitions it gives are missing`, spec);
    return;
  }
  readImport(ev, file, spec, depth);
}

function readImport(ev: Evaluation, file: string, spec: string, depth: number): void {
  const text = ev.files.readFile(file);
  const xml = text === undefined ? undefined : parseXml(text);
  if (!xml || !xml.ok || text === undefined) {
    note(ev, `cannot read the imported ${ev.rules.basename(file)}${xml && !xml.ok ? ` (line ${xml.line}: ${xml.message})` : ''}`, spec);
    return;
  }
  const thisDir = ev.props.get('msbuildthisfiledirectory');
  within(ev, { file, text }, () => evaluateProperties(ev, xml.root, ev.rules.dirname(file), depth + 1));
  // MSBuildThisFileDirectory is the importing file's again once the import is read.
  if (thisDir !== undefined) ev.props.set('msbuildthisfiledirectory', thisDir);
}

/**
 * MSBuild's Microsoft.Common.props, which Microsoft.Cpp.Default.props imports, imports the
 * Directory.Build.props nearest at or above the project's folder (only that one: it chains to its
 * parent's itself if it wants to), unless the project sets ImportDirectoryBuildProps to false.
 */
function importDirectoryBuildProps(ev: Evaluation, depth: number): void {
  if ((ev.props.get('importdirectorybuildprops') ?? '').toLowerCase() === 'false') return;
  const projectDir = ev.props.get('msbuildprojectdirectory');
  if (projectDir === undefined) return;
  const folder = ev.above.folderOfFileAbove('Directory.Build.props', projectDir);
  if (folder === undefined) return;
  const file = findFile(ev.files, ev.rules.join(folder, 'Directory.Build.props'));
  if (file) readImport(ev, file, 'Directory.Build.props', depth);
}

/** Finds files above a folder for MSBuild's GetPathOfFileAbove, as MSBuild does: the folder itself first. */
function fileAbove(files: ProjectFiles, rules: PathRules): FileAbove {
  return {
    folderOfFileAbove(name, startDir) {
      let dir = rules.resolve(startDir, '.');
      for (;;) {
        if (findFile(files, rules.join(dir, name))) return dir;
        const up = rules.dirname(dir);
        if (up === dir) return undefined;
        dir = up;
      }
    },
    join: (folder, name) => rules.join(folder, name),
  };
}

function splitList(value: string): string[] {
  return value.split(';').map((s) => s.trim()).filter((s) => s !== '');
}

/** `*.c` in the last path segment, matched without case against a folder's files. */
function expandWildcard(files: ProjectFiles, dir: string, pattern: string): string[] {
  const rules = rulesOf(files);
  const full = rules.resolve(dir, pattern);
  const folder = findFolder(files, rules.dirname(full));
  if (!folder || !files.listDir) return [];
  const re = new RegExp(`^${rules.basename(full).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return (files.listDir(folder) ?? []).filter((e) => !e.folder && re.test(e.name)).map((e) => rules.join(folder, e.name)).sort();
}

export function readVcxproj(file: string, files: ProjectFiles): DriverProject {
  const rules = rulesOf(files);
  const text = files.readFile(file);
  const dir = rules.dirname(file);
  const project: DriverProject = {
    name: baseName(file),
    source: { kind: 'vcxproj', file, configuration: undefined },
    units: [],
    includeDirs: [],
    defines: new Map(),
    notes: [],
  };
  if (text === undefined) {
    project.notes.push({ severity: 'error', message: `cannot read the project file ${file}${unreadableReason(files, file)}`, file, line: 1 });
    return project;
  }
  const xml = parseXml(text);
  if (!xml.ok) {
    project.notes.push({ severity: 'error', message: `${rules.basename(file)} is not valid XML: ${xml.message}`, file, line: xml.line });
    return project;
  }
  if (xml.root.name !== 'Project') {
    project.notes.push({ severity: 'error', message: `${rules.basename(file)} is not an MSBuild project (its root element is <${xml.root.name}>, not <Project>)`, file, line: 1 });
    return project;
  }
  const configs = configurations(xml.root);
  const chosen = chooseConfiguration(configs);
  const [configuration, platform] = (chosen ?? '|').split('|');
  project.source = { kind: 'vcxproj', file, configuration: chosen };
  const ev: Evaluation = {
    props: new Map(), drops: new Map(), notes: project.notes, noted: new Set(), file, text, files, rules, globals: new Set(),
    above: fileAbove(files, rules), itemDefinitions: [],
  };
  const set = (k: string, v: string | undefined) => { if (v !== undefined) ev.props.set(k.toLowerCase(), v); };
  set('Configuration', configuration || undefined);
  set('Platform', platform || undefined);
  for (const g of ['configuration', 'platform']) if (ev.props.has(g)) ev.globals.add(g);
  set('MSBuildProjectName', baseName(file));
  set('ProjectName', baseName(file));
  set('MSBuildProjectFile', rules.basename(file));
  set('MSBuildProjectFullPath', file);
  set('MSBuildProjectDirectory', dir);
  set('ProjectDir', withSlash(rules, dir));
  set('ProjectPath', file);
  set('ProjectFileName', rules.basename(file));
  const solution = solutionDir(files, dir);
  set('SolutionDir', solution.dir);
  if (solution.guessed) ev.solutionGuessed = solution.dir;
  if (!chosen) note(ev, `${rules.basename(file)} lists no ProjectConfiguration; conditions on the configuration will not match`);
  evaluateProperties(ev, xml.root, dir, 0);
  project.name = ev.props.get('projectname') || baseName(file);

  // Item definitions, the project's and its imports' in import order: the compiler settings every
  // ClCompile item starts from (a props file's `%(AdditionalIncludeDirectories)` grows the list).
  const compile = new Map<string, string>();
  /** The element that last set each setting, for pointing notes at it. */
  const setBy = new Map<string, Sourced>();
  for (const g of ev.itemDefinitions) {
    within(ev, g, () => {
      if (!holds(ev, g.el)) return;
      for (const tool of g.el.children) {
        if (tool.name !== 'ClCompile' || !holds(ev, tool)) continue;
        for (const m of tool.children) {
          if (!holds(ev, m)) continue;
          compile.set(m.name.toLowerCase(), expand(ev, m.text.trim(), compile));
          setBy.set(m.name.toLowerCase(), { el: m, file: g.file, text: g.text });
        }
      }
    });
  }
  const lineIn = (value: string, setting: string): { file: string; line: number } => {
    const by = setBy.get(setting);
    return by ? { file: by.file, line: within(ev, by, () => lineOfValue(ev, value, by.el)) } : { file, line: 1 };
  };
  // The compiler's /I folders, then the project's VC++ Directories (IncludePath), searched the same way.
  const includes = [...splitList(compile.get('additionalincludedirectories') ?? ''), ...splitList(ev.props.get('includepath') ?? '')];
  for (const inc of includes) {
    const abs = rules.resolve(dir, inc);
    let found = locateFolder(files, abs);
    const at = lineIn(inc, 'additionalincludedirectories');
    // A folder below one fltsim resolved itself ($(ProjectDir), $(SolutionDir)) is not from the author's machine.
    const ours = ['projectdir', 'solutiondir'].some((p) => { const d = ev.props.get(p); return d !== undefined && abs.toLowerCase().startsWith(d.toLowerCase()); });
    if (!found && !ours) {
      const moved = relocated(files, rules, dir, inc);
      if (moved !== undefined) {
        note(ev, `include directory '${inc}' is a folder on the author's machine; its end matches ${moved}, which is used`, at);
        found = { path: moved, caseDiffers: false };
      }
    }
    if (!found) {
      note(ev, `include directory '${inc}' does not exist (looked for ${abs})`, at);
      continue;
    }
    if (found.caseDiffers) note(ev, caseMismatch(`include directory '${inc}'`, found.path), at);
    if (!project.includeDirs.includes(found.path)) project.includeDirs.push(found.path);
  }
  for (const def of splitList(compile.get('preprocessordefinitions') ?? '')) {
    const eq = def.indexOf('=');
    const name = (eq < 0 ? def : def.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      note(ev, `preprocessor definition '${def}' is not NAME or NAME=value; skipped`, lineIn(def, 'preprocessordefinitions'));
      continue;
    }
    project.defines.set(name, eq < 0 ? '1' : def.slice(eq + 1));
  }

  // Items: the translation units.
  for (const g of xml.root.children) {
    if (g.name !== 'ItemGroup' || !holds(ev, g)) continue;
    for (const item of g.children) {
      if (item.name !== 'ClCompile' || !item.attrs.Include || !holds(ev, item)) continue;
      const excluded = item.children.some((m) => m.name === 'ExcludedFromBuild' && holds(ev, m) && m.text.trim().toLowerCase() === 'true');
      if (excluded) continue;
      if (item.children.some((m) => /^(AdditionalIncludeDirectories|PreprocessorDefinitions)$/i.test(m.name))) {
        note(ev, `per-file compiler settings of ${item.attrs.Include} are not applied; it is compiled with the project's settings`, `Include="${item.attrs.Include}"`);
      }
      // Exclude and Include are both written in the project: compared as Windows compares them.
      const exclude = new Set(splitList(expand(ev, item.attrs.Exclude ?? '')).map((e) => writtenPathKey(rules.resolve(dir, e))));
      const include = expandNoting(ev, item.attrs.Include);
      for (const spec of splitList(include.value)) {
        const candidates = /[*?]/.test(spec) ? expandWildcard(files, dir, spec) : [rules.resolve(dir, spec)];
        for (const abs of candidates) {
          if (exclude.has(writtenPathKey(abs))) continue;
          const cpp = isCppSource(abs);
          if (!/\.c$/i.test(abs) && !cpp) {
            note(ev, `${spec} is not a C or C++ file; fltsim reads .c, .cpp, .cc and .cxx files only`, `Include="${item.attrs.Include}"`);
            continue;
          }
          let found = locateFile(files, abs);
          const line = lineOf(text, `Include="${item.attrs.Include}"`);
          if (!found && include.dropped) {
            // The folder part came from a property fltsim dropped; the file's name is still the user's.
            const named = filesNamed(files, dir, fileName(spec));
            if (named.length === 1) {
              project.notes.push({ severity: 'note', message: `${item.attrs.Include} holds a property fltsim cannot resolve; using ${named[0]}, the one file of that name below the project's folder`, file, line });
              found = { path: named[0]!, caseDiffers: false };
            }
          }
          if (!found) {
            const why = include.dropped ? ` — ${item.attrs.Include} holds a property fltsim cannot resolve, and no single file of that name is below the project's folder` : '';
            project.notes.push({ severity: 'note', message: `${spec} is listed in ${rules.basename(file)} but not found (looked for ${abs}); the other files are still used${why}`, file, line });
            continue;
          }
          if (found.caseDiffers) project.notes.push({ severity: 'note', message: caseMismatch(`ClCompile '${spec}'`, found.path), file, line });
          const list = cpp ? (project.cppUnits ??= []) : project.units;
          if (!list.includes(found.path)) list.push(found.path);
        }
      }
    }
  }
  return project;
}

/**
 * An absolute folder that does not exist here, written on the author's machine
 * (`C:\Users\me\Desktop\Proj\Proj`): when one of its names is the name of the project's folder or
 * of a folder above it, and the rest of the written path exists below that folder, the checkout moved
 * and that is the folder meant. Relative paths are left alone (they already follow the project).
 */
function relocated(files: ProjectFiles, rules: PathRules, projectDir: string, written: string): string | undefined {
  // Split as Windows writes it, whatever this machine's paths are: `C:\a\b`, `\\server\share\a`, `/a`.
  if (!/^(?:[A-Za-z]:)?[\\/]/.test(written)) return undefined;
  const names = written.replace(/^[A-Za-z]:/, '').split(/[\\/]+/).filter((n) => n !== '' && n !== '.');
  const ancestors: string[] = [];
  for (let a = projectDir; ; a = rules.dirname(a)) {
    ancestors.push(a);
    if (rules.dirname(a) === a) break;
  }
  // The last written name first: the nearest match is the likeliest.
  for (let j = names.length - 1; j >= 0; j--) {
    for (const a of ancestors) {
      if (rules.basename(a).toLowerCase() !== names[j]!.toLowerCase()) continue;
      const candidate = rules.join(a, ...names.slice(j + 1));
      const found = locateFolder(files, candidate);
      if (found) return found.path;
    }
  }
  return undefined;
}
