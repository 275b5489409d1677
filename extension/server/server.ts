/**
 * The fltsim language server: lints driver C/C++ documents with the engine's rules, checks `.fltsim`
 * scenarios, and answers hover and code-action requests. This module only wires the connection to
 * the modules that do the work (documentChecks, codeActions, hover, configuration, docLinks).
 *
 * initializationOptions (all optional):
 *   extensionRoot  the installed extension's folder; rule links then point at its docs/rules pages
 *   lintDelayMs    the debounce after a change (default 150); tests and benchmarks pass 0
 *   trusted        false in a Restricted Mode window: only the open documents are read (no driver
 *                  project files, no scenario driver files from disk); default true
 */
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type CodeActionParams,
  type Connection,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ENGINE_VERSION, initLinter, LintDocument, isWithin, lineEndingOf, rulesOf, type ProjectFiles } from '../../engine';
import { processFiles } from '../shared/simulatedWindows';
import { codeActionsFor } from './codeActions';
import { SettingsSource } from './configuration';
import { docLinks, type DocLinks } from './docLinks';
import { DocumentChecks, documentKind } from './documentChecks';
import { filePathOf } from './fltsimDocuments';
import { ServerProjects } from './projects';
import { hoverAt } from './hover';
import { checkParams, guardedDocumentEvents } from './paramSchemas';

/** How long a document must stay unchanged before it is re-checked. */
export const DEFAULT_LINT_DELAY_MS = 150;

export interface StartOptions {
  /** The folder of the running bundle, to find the rule pages next to it. */
  bundleDir?: string;
  /** The file system (default: the local disk, or the simulated Windows volume a test asked for). */
  files?: ProjectFiles;
}

interface InitOptions {
  extensionRoot?: string;
  lintDelayMs?: number;
  trusted: boolean;
}

function readInitOptions(raw: unknown): InitOptions {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    extensionRoot: typeof o.extensionRoot === 'string' && o.extensionRoot !== '' ? o.extensionRoot : undefined,
    lintDelayMs: typeof o.lintDelayMs === 'number' && Number.isFinite(o.lintDelayMs) && o.lintDelayMs >= 0 ? o.lintDelayMs : undefined,
    trusted: o.trusted !== false,
  };
}

/** The text of one line without its line break ('' past the end of the document). */
function lineOf(doc: TextDocument, line: number): string {
  if (line < 0 || line >= doc.lineCount) return '';
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

export function startServer(connection: Connection, options: StartOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let checks: DocumentChecks | undefined;
  const files = options.files ?? processFiles();
  const rules = rulesOf(files);
  const pathOf = (uri: string) => filePathOf(uri, rules);
  /** The open document of a file, matched by the file system's rules (`c:\x.c` is `C:\X.c` on Windows). */
  const openDocument = (path: string): TextDocument | undefined => documents.all().find((d) => {
    const p = pathOf(d.uri);
    return p !== undefined && rules.same(p, path);
  });
  /** False in a Restricted Mode window (initializationOptions.trusted): nothing but the open documents is read. */
  let trusted = true;
  /** The workspace folders, for the scenario check that warns about drivers read from outside them. */
  let workspaceFolders: string[] = [];
  // The other files of a driver project are read from the editor when open, else from disk (when trusted).
  const projects = new ServerProjects({
    read: (path) => openDocument(path)?.getText() ?? (trusted ? files.readFile(path) : undefined),
    listDir: (path) => (trusted ? files.listDir?.(path) : undefined),
    paths: rules,
  });
  let settings: SettingsSource | undefined;
  let links: DocLinks = docLinks({ bundleDir: options.bundleDir });
  let versionedEdits = false;
  let registerForSettings = false;
  let registerForFiles = false;

  /** A message the client refuses, or one sent while the connection closes, is logged, never fatal. */
  const quietly = (sent: Promise<unknown>, what: string): void => {
    sent.catch((err: unknown) => connection.console.warn(`fltsim: ${what} failed: ${err instanceof Error ? err.message : String(err)}`));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = readInitOptions(params.initializationOptions);
    trusted = init.trusted;
    workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])).flatMap((f) => rules.fromUri(f.uri) ?? []);
    const caps = params.capabilities;
    links = docLinks({ extensionRoot: init.extensionRoot, bundleDir: options.bundleDir });
    versionedEdits = caps.workspace?.workspaceEdit?.documentChanges === true;
    registerForSettings = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    registerForFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    settings = new SettingsSource({
      pull: caps.workspace?.configuration === true,
      request: (uri) => connection.workspace.getConfiguration({ scopeUri: uri, section: 'fltsim' }),
      log: (m) => connection.console.warn(m),
    });
    const linterReady = initLinter().then(
      () => true,
      (err: unknown) => {
        connection.console.error(`fltsim: the C grammar did not load, so C files are not linted: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      },
    );
    const source = settings;
    checks = new DocumentChecks({
      document: (uri) => documents.get(uri),
      settings: (uri) => source.forUri(uri),
      publish: (uri, version, diagnostics) => quietly(connection.sendDiagnostics({ uri, version, diagnostics }), 'publishing diagnostics'),
      log: (m) => connection.console.error(m),
      linterReady,
      createLinter: (language) => new LintDocument({}, true, language),
      links,
      delayMs: init.lintDelayMs ?? DEFAULT_LINT_DELAY_MS,
      projects,
      files,
      trusted,
      workspaceOf: (path) => workspaceFolders.filter((w) => isWithin(rules, w, path)).sort((a, b) => b.length - a.length)[0],
      uriOf: (path) => openDocument(path)?.uri ?? rules.toUri(path),
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'fltsim', version: ENGINE_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (registerForSettings) quietly(connection.client.register(DidChangeConfigurationNotification.type, { section: 'fltsim' }), 'registering for settings changes');
    // A scenario's "missing driver file" goes stale when the file appears or goes away.
    if (registerForFiles) {
      quietly(connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{c,h,cpp}', kind: WatchKind.Create | WatchKind.Delete },
          { globPattern: '**/*.{c,h,vcxproj}', kind: WatchKind.Change },
          { globPattern: '**/*.vcxproj', kind: WatchKind.Create | WatchKind.Delete },
        ],
      }), 'registering file watchers');
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    // A project file changed, or files came or went: find the projects again. A source that changed
    // on disk (a save, a checkout) only refreshes its own summary.
    const structural = params.changes.some((c) => c.type !== FileChangeType.Changed || /\.vcxproj$/i.test(c.uri));
    if (structural) projects.reset();
    else for (const c of params.changes) { const p = pathOf(c.uri); if (p !== undefined) projects.changed(p); }
    for (const doc of documents.all()) if (documentKind(doc.languageId)) checks?.schedule(doc.uri);
  });

  connection.onDidChangeConfiguration((params) => {
    settings?.changed(params.settings);
    checks?.scheduleAll();
  });

  documents.onDidChangeContent(({ document }) => {
    const kind = documentKind(document.languageId);
    if (kind === 'c') checks?.contentChanged(document.uri);
    else if (kind) checks?.schedule(document.uri);
  });

  documents.onDidClose(({ document }) => {
    settings?.forget(document.uri);
    // Its project reads it from disk again: unsaved edits are gone with the editor.
    const closed = pathOf(document.uri);
    if (closed !== undefined) projects.changed(closed);
    if (documentKind(document.languageId)) checks?.close(document.uri);
  });

  // Registered by method name, not onHover/onCodeAction: those read `params.workDoneToken` before
  // the handler runs, so a null params would fail inside the library with a JavaScript error.
  connection.onRequest('textDocument/hover', (params: HoverParams) => {
    const problem = checkParams('textDocument/hover', params);
    if (problem !== undefined) return new ResponseError(ErrorCodes.InvalidParams, problem);
    const doc = documents.get(params.textDocument.uri);
    const kind = doc && documentKind(doc.languageId);
    if (!doc || !kind) return null;
    const { line, character } = params.position;
    return hoverAt(kind, lineOf(doc, line), line, character, links);
  });

  connection.onRequest('textDocument/codeAction', (params: CodeActionParams) => {
    const problem = checkParams('textDocument/codeAction', params);
    if (problem !== undefined) return new ResponseError(ErrorCodes.InvalidParams, problem);
    const doc = documents.get(params.textDocument.uri);
    if (!doc || documentKind(doc.languageId) !== 'c' || !checks) return [];
    return codeActionsFor({
      uri: doc.uri,
      version: doc.version,
      diagnostics: params.context.diagnostics,
      published: checks.published(doc.uri),
      lineText: (line) => lineOf(doc, line),
      eol: lineEndingOf(doc.getText()),
      documentChanges: versionedEdits,
      only: params.context.only,
    });
  });

  connection.onShutdown(() => {
    checks?.dispose();
    projects.dispose();
  });

  // For the memory test (test/protocol/lsp-memory.test.ts): the heap after a full collection, when
  // the process runs with --expose-gc and FLTSIM_MEMORY_PROBE=1. Nothing else can call it.
  if (process.env.FLTSIM_MEMORY_PROBE === '1') {
    connection.onRequest('fltsim/memoryUsage', () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    });
  }

  documents.listen(guardedDocumentEvents(connection, (m) => connection.console.warn(m)));
  connection.listen();
}
