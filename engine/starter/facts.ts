/**
 * What a driver project shows about itself without running it, as a starter scenario needs it: its
 * filter registration (the callbacks per major function and the filter-wide ones), its contexts,
 * the ports and devices it creates, whether it pends, reads the registry or looks at manual
 * attachment, and the paths and extensions its literals name. The linter's model reads the
 * registration tables (engine/lint/analysis), so the two agree on what a table holds.
 */
import { rulesOf, type ProjectFiles } from '../files';
import { includedHeaders, lintUnits, type DriverProject } from '../project';
import { LintDocument, lintLanguageOf } from '../lint';
import { registrationCallback, registrationTableName, type FilterRegistration, type OperationTable } from '../lint/analysis/registration';
import { classifyLiterals, stringLiterals, type LiteralFacts, type SourceLiteral } from './literals';
import { apiInfo } from '../api/catalog';

/** One row of FLT_OPERATION_REGISTRATION: a major function and its callbacks. */
/** Routines through which a driver learns which process is calling (and may compare its image name). */
const PROCESS_QUERIES = new Set([
  'PsGetProcessImageFileName', 'SeLocateProcessImageName', 'ZwQueryInformationProcess', 'PsGetCurrentProcess', 'IoGetCurrentProcess',
  'PsGetCurrentProcessId', 'FltGetRequestorProcess', 'FltGetRequestorProcessId', 'FltGetRequestorProcessIdEx', 'IoThreadToProcess',
  'PsLookupProcessByProcessId', 'PsGetProcessId',
]);
/**
 * Routines that register a callback for process, thread or image events: such a driver learns image
 * names from the notification itself (CreateInfo->ImageFileName), so its .exe strings are programs too.
 */
const PROCESS_NOTIFY = new Set([
  'PsSetCreateProcessNotifyRoutine', 'PsSetCreateProcessNotifyRoutineEx', 'PsSetCreateProcessNotifyRoutineEx2',
  'PsSetCreateThreadNotifyRoutine', 'PsSetCreateThreadNotifyRoutineEx', 'PsSetLoadImageNotifyRoutine', 'PsSetLoadImageNotifyRoutineEx',
]);
/** The old way of reading image names: searching the System EPROCESS for "System". */
const PROCESS_NAME_OFFSET = /"System"/;

export interface OperationCallbacks {
  major: string;
  pre?: string;
  post?: string;
}

/** A filter-wide callback of FLT_REGISTRATION (`InstanceSetupCallback`) and the function it names. */
export interface RegistrationCallback {
  field: string;
  fn: string;
}

/** The type a value's reading code mentions; `multi-string` (REG_MULTI_SZ) has no `registry` form yet. */
export type RegistryGuess = 'dword' | 'string' | 'multi-string';

export interface DriverFacts {
  /** The module name (`unload name`, `expect calls name!Fn`). */
  name: string;
  /** Where FLT_REGISTRATION is declared; undefined: the project holds none. */
  registration?: { name: string; file: string; line: number };
  operations: OperationCallbacks[];
  callbacks: RegistrationCallback[];
  /** FLT_CONTEXT_REGISTRATION context types (`FLT_STREAM_CONTEXT`). */
  contexts: string[];
  literals: LiteralFacts;
  /** The driver queues or pends operations (FLT_PREOP_PENDING, FltCbdqInsertIo). */
  pends: boolean;
  /** The driver reads values under its service key. */
  readsRegistry: boolean;
  /** Its instance setup tells manual attachments (fltmc attach) from automatic ones. */
  asksManualAttach: boolean;
  /** It watches folders for changes (IRP_MN_NOTIFY_CHANGE_DIRECTORY, FltNotifyFilterChangeDirectory). */
  watchesDirectories: boolean;
  /** It enlists in transactions. */
  usesTransactions: boolean;
  /** It tells removable or USB media from fixed disks (BusTypeUsb, FILE_REMOVABLE_MEDIA…), so it may attach to those only. */
  looksAtRemovable: boolean;
  /** It registers process, thread or image-load notify routines (PsSetCreateProcessNotifyRoutineEx…). */
  watchesProcesses: boolean;
  /** Value names it reads under its service key, with the type its reading code mentions. */
  registryValues: { name: string; type: RegistryGuess }[];
  /** Its sources are C++ only: fltsim's interpreter runs C, so a run cannot load it. */
  cppOnly: boolean;
  /** The sources read, units first, then the project's own headers they include. */
  sources: string[];
}

/** The callbacks a run can reach: every pre and post of the operation rows, and the filter-wide ones. */
export function registeredCallbacks(facts: DriverFacts): string[] {
  const names = new Set<string>();
  for (const op of facts.operations) {
    if (op.pre) names.add(op.pre);
    if (op.post) names.add(op.post);
  }
  for (const c of facts.callbacks) names.add(c.fn);
  return [...names];
}

/** Reads a value under the service key (the routines, and helpers of the driver that call them one level down). */
const REGISTRY_READS = new Set(['ZwQueryValueKey', 'RtlQueryRegistryValues', 'FltGetRegistryValue']);

const PEND = /\bFLT_PREOP_PENDING\b|\bFltCbdqInsertIo\b/;
const REGISTRY = /\b(?:ZwQueryValueKey|RtlQueryRegistryValues|FltGetRegistry\w*|ZwOpenKey|IoOpenDriverRegistryKey)\b/;
/** What a driver that treats USB sticks and other removable media apart spells. */
const REMOVABLE = /\bBusTypeUsb\b|\bFILE_REMOVABLE_MEDIA\b|\bRemovableMedia\b|\bDRIVE_REMOVABLE\b|\bGUID_DEVINTERFACE_USB_\w+|\bIsUsb\w*/;
const MANUAL = /\bFLTFL_INSTANCE_SETUP_(?:MANUAL|AUTOMATIC)_ATTACHMENT\b/;
const WATCH = /\bIRP_MN_NOTIFY_CHANGE_DIRECTORY\b|\bFltNotifyFilterChangeDirectory\b|\bFsRtlNotify\w*ChangeDirectory\b/;
const EXTENSIONS = /Extension/;

/**
 * Reads the project. Call `initLinter()` first (it loads the grammars). Files that cannot be read
 * are left out; the project's own notes say why.
 */
export function driverFacts(files: ProjectFiles, project: DriverProject): DriverFacts {
  const units = lintUnits(project);
  const sources = [...units, ...includedHeaders(files, project)];
  const texts = new Map<string, string>();
  for (const s of sources) {
    const t = files.readFile(s);
    if (t !== undefined) texts.set(s, t);
  }
  const registrations: { reg: FilterRegistration; file: string }[] = [];
  const tables = new Map<string, OperationTable>();
  const contexts: string[] = [];
  const calls = new Set<string>();
  const lineOf = new Map<string, { file: string; line: number }>();
  const functions: { name: string; text: string; calls: ReadonlySet<string> }[] = [];
  // The file model reads registration tables at the top level and inside functions alike.
  for (const [file, text] of texts) {
    const doc = new LintDocument({}, false, lintLanguageOf(file, text));
    try {
      const ctx = doc.analyze(text);
      const model = ctx.model;
      for (const f of model.functionList) functions.push({ name: f.name, text: f.text, calls: f.facts.callNames });
      for (const reg of model.registrations) {
        if (!/\bFLT_REGISTRATION\b/.test(model.declarations.get(reg.name)?.typeText ?? '')) continue;
        registrations.push({ reg, file });
        lineOf.set(reg.name, { file, line: (model.declarations.get(reg.name)?.startRow ?? 0) + 1 });
      }
      for (const [name, t] of model.operationTables) if (!tables.has(name)) tables.set(name, t);
      for (const t of model.contextTables.values()) for (const row of t.rows) if (!row.isEnd && row.type && !contexts.includes(row.type)) contexts.push(row.type);
      for (const f of model.functionList) for (const n of f.facts.callNames) calls.add(n);
    } finally {
      doc.dispose();
    }
  }
  const all = [...texts.values()].join('\n');
  const cppOnly = project.units.length === 0 && (project.cppUnits ?? []).length > 0;
  const first = registrations[0];
  const operations: OperationCallbacks[] = [];
  const callbacks: RegistrationCallback[] = [];
  if (first) {
    const tableName = registrationTableName(first.reg, 'OperationRegistration');
    const chosen = tableName !== undefined ? tables.get(tableName) : undefined;
    for (const t of chosen ? [chosen] : tables.values()) {
      for (const row of t.rows) {
        if (row.isEnd || row.major === undefined) continue;
        if (!row.pre && !row.post) continue;
        operations.push({ major: row.major, ...(row.pre ? { pre: row.pre } : {}), ...(row.post ? { post: row.post } : {}) });
      }
    }
    for (const field of first.reg.fields.keys()) {
      if (!field.endsWith('Callback')) continue;
      const fn = registrationCallback(first.reg, field);
      if (fn) callbacks.push({ field, fn });
    }
  }
  const literals: SourceLiteral[] = [];
  for (const [file, text] of texts) literals.push(...stringLiterals(text, file));
  const rules = rulesOf(files);
  const where = first ? lineOf.get(first.reg.name) : undefined;
  const watchesProcesses = [...calls].some((c) => PROCESS_NOTIFY.has(c));
  return {
    name: project.name,
    ...(first && where ? { registration: { name: first.reg.name, file: where.file, line: where.line } } : {}),
    operations,
    callbacks,
    contexts,
    literals: classifyLiterals(literals, {
      createsPort: calls.has('FltCreateCommunicationPort'),
      createsDevice: calls.has('IoCreateDevice') || calls.has('IoCreateDeviceSecure') || calls.has('WdmlibIoCreateDeviceSecure'),
      mentionsExtensions: EXTENSIONS.test(all),
      asksProcess: watchesProcesses || [...calls].some((c) => PROCESS_QUERIES.has(c)) || PROCESS_NAME_OFFSET.test(all),
    }),
    pends: PEND.test(all),
    readsRegistry: REGISTRY.test(all),
    asksManualAttach: MANUAL.test(all),
    watchesDirectories: WATCH.test(all),
    usesTransactions: calls.has('FltEnlistInTransaction'),
    looksAtRemovable: REMOVABLE.test(all),
    watchesProcesses,
    registryValues: registryValues(functions, stringMacros(all)),
    cppOnly,
    sources: [...texts.keys()].map((s) => rules.normalize(s)),
  };
}

const VALUE_NAME = /^[A-Za-z][A-Za-z0-9_]{2,63}$/;
/** Object-like macros whose whole body is one string literal, by name, decoded. */
function stringMacros(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+((?:L|u)?"(?:\\.|[^"\\\n])*")[ \t]*(?:\/\/.*|\/\*.*?\*\/[ \t]*)?$/gm)) {
    const value = stringLiterals(m[2]!, '')[0]?.value;
    if (value !== undefined) out.set(m[1]!, value);
  }
  return out;
}

/** `table[i].Name = L"…"` in a function that fills an RTL_QUERY_REGISTRY_TABLE. */
const TABLE_VALUE_NAME = /\.Name\s*=\s*((?:L|u)?"(?:\\.|[^"\\\n])*")/g;

/**
 * The value names a driver reads under its service key: the name-like literals of each function
 * that reads values, or that calls a helper of the driver that does (`Load(key, L"Mapping")`).
 * The type is what the reading code mentions (REG_MULTI_SZ; REG_DWORD alone: dword; otherwise a string).
 */
function registryValues(functions: readonly { name: string; text: string; calls: ReadonlySet<string> }[], macros: ReadonlyMap<string, string>): { name: string; type: RegistryGuess }[] {
  const readers = new Set(functions.filter((f) => [...f.calls].some((c) => REGISTRY_READS.has(c))).map((f) => f.name));
  const readerText = new Map(functions.filter((f) => readers.has(f.name)).map((f) => [f.name, f.text]));
  const out: { name: string; type: RegistryGuess }[] = [];
  for (const f of functions) {
    const helpers = [...f.calls].filter((c) => readers.has(c) && c !== f.name);
    if (!readers.has(f.name) && helpers.length === 0) continue;
    const code = [f.text, ...helpers.map((h) => readerText.get(h) ?? '')].join('\n');
    const type: RegistryGuess = /\bREG_MULTI_SZ\b/.test(code) ? 'multi-string' : /\bREG_DWORD\b/.test(code) && !/\bREG_(?:EXPAND_)?SZ\b/.test(code) ? 'dword' : 'string';
    // A query table's `.Name = L"1"` names a value whatever it looks like.
    const tableNames = new Set([...f.text.matchAll(TABLE_VALUE_NAME)].map((m) => stringLiterals(m[1]!, '')[0]?.value ?? ''));
    // A value named through a macro (`#define PROTECTIONDIRNAME L"ProtectedDir"`) counts as written here.
    const named = [...new Set(f.text.match(/\b[A-Za-z_]\w*\b/g) ?? [])].filter((id) => macros.has(id)).map((id) => ({ value: macros.get(id)! }));
    for (const lit of [...stringLiterals(f.text, ''), ...named]) {
      // A kernel routine's name is looked up (MmGetSystemRoutineAddress), not read from the registry.
      if (apiInfo(lit.value)) continue;
      if ((VALUE_NAME.test(lit.value) || (lit.value !== '' && tableNames.has(lit.value))) && !out.some((v) => v.name.toLowerCase() === lit.value.toLowerCase()) && out.length < 8) out.push({ name: lit.value, type });
    }
  }
  return out;
}
