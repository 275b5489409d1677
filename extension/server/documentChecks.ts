/**
 * When and how each open document is checked. Every change restarts a short per-document timer
 * (the debounce), so typing never waits for a lint; when the timer fires the document is checked
 * and its diagnostics published — unless a newer change, a settings change or a close came in
 * meanwhile, in which case the stale run stops at its next step and publishes nothing.
 *
 * C documents keep one `LintDocument` each, so a re-lint after an edit reparses incrementally and
 * re-checks only the functions the edit touched. A linter that throws costs only that document's
 * update: the error is logged, the old diagnostics stay, and the next change starts from a fresh
 * `LintDocument`.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { LintDocument, rulesOf, type Finding, type LintOptions, type LintResult, type ProjectFiles } from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';
import { findingToDiagnostic, parseNoteToDiagnostic } from './diagnostics';
import type { DocLinks } from './docLinks';
import { filePathOf, scenarioDiagnostics } from './fltsimDocuments';
import type { ServerProjects } from './projects';
import { toLintOptions, type LintSettings } from './settings';

export type DocumentKind = 'c' | 'fltsim';

/** What the server does with a document of this language: lint it as C, check it as a scenario, or nothing. */
export function documentKind(languageId: string): DocumentKind | undefined {
  if (languageId === 'c' || languageId === 'cpp') return 'c';
  if (languageId === 'fltsim') return 'fltsim';
  return undefined;
}

/** The part of `LintDocument` the checks use (tests substitute their own). */
export interface Linter {
  update(text: string): LintResult;
  setOptions(options: LintOptions): void;
  dispose(): void;
}

export interface OpenDocument {
  readonly languageId: string;
  readonly version: number;
  getText(): string;
}

export interface CheckHost {
  document(uri: string): OpenDocument | undefined;
  settings(uri: string): Promise<LintSettings>;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  log(message: string): void;
  /** Resolves to false when the C grammar could not be loaded (then C documents get no findings). */
  linterReady: Promise<boolean>;
  /** A linter for one document; `cpp` for C++ documents (their own grammar). */
  createLinter(language: 'c' | 'cpp'): Linter;
  links: DocLinks;
  /** The debounce after a change, in milliseconds. */
  delayMs: number;
  /**
   * The file system: how scenarios see the driver files and projects they name, and whose path
   * rules turn document URIs into paths (default: the disk, with the host's rules).
   */
  files?: ProjectFiles;
  /** A related location's URI: the open document's when that file is open, else its own. */
  uriOf?(path: string): string;
  /** The driver projects of the open files; without it every file is linted alone. */
  projects?: ServerProjects;
  /** False in a Restricted Mode window: scenarios are checked without reading the files they name. */
  trusted?: boolean;
  /** The workspace folder a file lies in, if any: scenarios warn about drivers read from outside it. */
  workspaceOf?(path: string): string | undefined;
}

export interface Published {
  version: number;
  findings: readonly Finding[];
}

interface State {
  generation: number;
  timer?: ReturnType<typeof setTimeout>;
  linter?: Linter;
  published?: Published;
  /** Rule checks that failed inside the linter on the last run, so each new count is logged once. */
  internalErrors?: number;
}

export class DocumentChecks {
  private readonly states = new Map<string, State>();
  /** One counter for all documents, so a document closed and reopened never matches an old run. */
  private generation = 0;
  /** Runs started and not yet finished, so tests and shutdown can wait for quiet. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly host: CheckHost) {}

  private get files(): ProjectFiles {
    return this.host.files ?? nodeFiles;
  }

  private pathOf(uri: string): string | undefined {
    return filePathOf(uri, rulesOf(this.files));
  }

  /** Checks `uri` after the debounce, cancelling whatever was pending for it. */
  schedule(uri: string, delayMs = this.host.delayMs): void {
    let state = this.states.get(uri);
    if (!state) {
      state = { generation: 0 };
      this.states.set(uri, state);
    }
    const generation = ++this.generation;
    state.generation = generation;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      const run = this.check(uri, generation);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }, delayMs);
  }

  /** Re-checks every open document (after a settings change). */
  scheduleAll(): void {
    for (const uri of this.states.keys()) this.schedule(uri);
  }

  /**
   * A C document's text changed: re-check it, and re-check the open files of its driver project,
   * whose findings may depend on it (a registration, a helper's locks, a caller's IRQL).
   */
  contentChanged(uri: string): void {
    this.schedule(uri);
    const path = this.pathOf(uri);
    const projects = this.host.projects;
    if (path === undefined || !projects) return;
    projects.changed(path);
    for (const other of this.states.keys()) {
      const p = other !== uri ? this.pathOf(other) : undefined;
      if (p !== undefined && projects.isPeer(path, p)) this.schedule(other);
    }
  }

  /** The document closed: stop its work, free its tree, clear its diagnostics. */
  close(uri: string): void {
    const state = this.states.get(uri);
    if (state) {
      if (state.timer) clearTimeout(state.timer);
      this.disposeLinter(state);
      this.states.delete(uri);
    }
    this.host.publish(uri, undefined, []);
  }

  /** The findings last published for `uri` and the version they belong to. */
  published(uri: string): Published | undefined {
    return this.states.get(uri)?.published;
  }

  /** Resolves once no run is in progress (timers still pending are not waited for). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  dispose(): void {
    for (const state of this.states.values()) {
      if (state.timer) clearTimeout(state.timer);
      this.disposeLinter(state);
    }
    this.states.clear();
  }

  private current(uri: string, generation: number): State | undefined {
    const state = this.states.get(uri);
    return state && state.generation === generation ? state : undefined;
  }

  private async check(uri: string, generation: number): Promise<void> {
    try {
      const doc = this.current(uri, generation) && this.host.document(uri);
      if (!doc) return;
      const kind = documentKind(doc.languageId);
      if (kind === 'fltsim') {
        // Untrusted: the scenario is checked as text only; its driver files are not looked at.
        const path = this.host.trusted === false ? undefined : this.pathOf(uri);
        this.host.publish(uri, doc.version, scenarioDiagnostics(doc.getText(), path, this.files, path !== undefined ? this.host.workspaceOf?.(path) : undefined));
      } else if (kind === 'c') {
        await this.lint(uri, generation);
      }
    } catch (err) {
      this.host.log(`fltsim: checking ${uri} failed: ${describe(err)}`);
    }
  }

  private async lint(uri: string, generation: number): Promise<void> {
    const settings = await this.host.settings(uri);
    if (!this.current(uri, generation)) return;
    if (!settings.enable) {
      const state = this.current(uri, generation)!;
      this.disposeLinter(state);
      const doc = this.host.document(uri);
      state.published = { version: doc?.version ?? 0, findings: [] };
      this.host.publish(uri, doc?.version, []);
      return;
    }
    const ready = await this.host.linterReady;
    const state = this.current(uri, generation);
    const doc = this.host.document(uri);
    if (!ready || !state || !doc) return;
    // Read text and version together, after the last await: they are the pair the findings describe.
    const text = doc.getText();
    const version = doc.version;
    let result: LintResult;
    try {
      state.linter ??= this.host.createLinter(doc.languageId === 'cpp' ? 'cpp' : 'c');
      const options = toLintOptions(settings);
      state.linter.setOptions(options);
      const path = this.pathOf(uri);
      const project = path !== undefined ? this.host.projects?.projectFor(path) : undefined;
      // In a driver project the file is linted with what its other files say (registrations, callers…).
      result = project && state.linter instanceof LintDocument ? project.lint.lint(project.member, text, options, state.linter) : state.linter.update(text);
    } catch (err) {
      this.host.log(`fltsim: linting ${uri} (version ${version}) failed; its diagnostics are left as they were. ${describe(err)}`);
      this.disposeLinter(state);
      return;
    }
    const failed = result.stats.internalErrors ?? 0;
    if (failed > 0 && failed !== state.internalErrors) {
      this.host.log(`fltsim: ${failed} rule check${failed === 1 ? '' : 's'} failed inside the linter on ${uri}; findings of the functions concerned are missing. Please report it (set FLTSIM_DEBUG=1 in the server's environment for the stack traces).`);
    }
    state.internalErrors = failed;
    const findings = result.findings;
    state.published = { version, findings };
    const uriOf = this.host.uriOf ?? ((p: string) => rulesOf(this.files).toUri(p));
    this.host.publish(uri, version, [...findings.map((f) => findingToDiagnostic(f, uri, settings, this.host.links, uriOf)), ...(result.notes ?? []).map(parseNoteToDiagnostic)]);
  }

  private disposeLinter(state: State): void {
    const linter = state.linter;
    state.linter = undefined;
    try {
      linter?.dispose();
    } catch {
      // A linter that failed may fail to free its tree as well; it is dropped either way.
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
