/**
 * The driver projects of the open C files. A file's project is the nearest .vcxproj above it that
 * lists it, else its folder when that folder is one driver (engine/project/discover.ts); the file
 * is then linted with what the project's other files say. Each project keeps one ProjectLint, whose
 * per-file summaries are cached by text: an edit re-reads only the edited file, and the other files'
 * summaries are refreshed when they change (in the editor, or on disk as the watcher reports).
 *
 * The editor may spell a path otherwise than the project does (`c:\drivers\x.c` for a unit found
 * as `C:\Drivers\X.c` on Windows): files are matched by the file system's path rules, and the
 * project's lint always hears the project's own spelling.
 */
import { HOST_PATHS, lintUnits, projectOfFile, ProjectLint, type DirEntry, type DriverProject, type PathRules, type ProjectFiles } from '../../engine';

export interface ProjectHost {
  /** The text of a file: the open document's when it is open, else the file on disk. */
  read(path: string): string | undefined;
  listDir(path: string): DirEntry[] | undefined;
  /** The path rules of the file system; the host's when absent. */
  paths?: PathRules;
}

interface Entry {
  project: DriverProject;
  lint: ProjectLint;
}

/** A file's project and the file as the project spells it. */
export interface Membership {
  lint: ProjectLint;
  member: string;
}

export class ServerProjects {
  /** Path key → its project's key ('' when it stands alone). */
  private readonly byFile = new Map<string, string>();
  private readonly projects = new Map<string, Entry>();
  private readonly paths: PathRules;

  constructor(private readonly host: ProjectHost) {
    this.paths = host.paths ?? HOST_PATHS;
  }

  private get files(): ProjectFiles {
    return { readFile: (p) => this.host.read(p), listDir: (p) => this.host.listDir(p), paths: this.paths };
  }

  /** The project lint `path` belongs to, with its spelling there; undefined when the file stands alone. */
  projectFor(path: string): Membership | undefined {
    const fileKey = this.paths.key(path);
    let key = this.byFile.get(fileKey);
    if (key === undefined) {
      const project = projectOfFile(this.files, path);
      key = project && lintUnits(project).some((u) => this.paths.same(u, path)) ? projectKey(project) : '';
      if (project && key !== '' && !this.projects.has(key)) {
        this.projects.set(key, { project, lint: new ProjectLint({ read: (p) => this.host.read(p) }, lintUnits(project), { includeDirs: project.includeDirs, paths: this.paths }) });
      }
      this.byFile.set(fileKey, key);
    }
    const lint = key === '' ? undefined : this.projects.get(key)?.lint;
    const member = lint && this.memberOf(lint, path);
    return lint && member !== undefined ? { lint, member } : undefined;
  }

  /** Whether `other` is another file of `path`'s project (to re-check the open ones after an edit). */
  isPeer(path: string, other: string): boolean {
    if (this.paths.same(path, other) || !this.byFile.has(this.paths.key(path))) return false;
    const lint = this.projectFor(path)?.lint;
    return !!lint && this.memberOf(lint, other) !== undefined;
  }

  /** A file's text changed (an edit in the editor): the summaries that depend on it are refreshed. */
  changed(path: string): void {
    for (const { lint } of this.projects.values()) {
      // Not a member: maybe one of its headers (their statement macros are read into the lint).
      lint.changed(this.memberOf(lint, path) ?? path);
    }
  }

  /** Files appeared, went away or changed on disk: projects are found again on next use. */
  reset(): void {
    for (const { lint } of this.projects.values()) lint.dispose();
    this.projects.clear();
    this.byFile.clear();
  }

  dispose(): void {
    this.reset();
  }

  private memberOf(lint: ProjectLint, path: string): string | undefined {
    return lint.has(path) ? path : lint.files.find((f) => this.paths.same(f, path));
  }
}

function projectKey(p: DriverProject): string {
  return p.source.kind === 'vcxproj' ? `vcxproj:${p.source.file}` : p.source.kind === 'folder' ? `folder:${p.source.folder}` : `files:${p.units.join('|')}`;
}
