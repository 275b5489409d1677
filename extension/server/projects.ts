/**
 * The driver projects of the open C files. A file's project is the nearest .vcxproj above it that
 * lists it, else its folder when that folder is one driver (engine/project/discover.ts); the file
 * is then linted with what the project's other files say. Each project keeps one ProjectLint, whose
 * per-file summaries are cached by text: an edit re-reads only the edited file, and the other files'
 * summaries are refreshed when they change (in the editor, or on disk as the watcher reports).
 */
import { lintUnits, projectOfFile, ProjectLint, sameFile, type DirEntry, type DriverProject, type ProjectFiles } from '../../engine';

export interface ProjectHost {
  /** The text of a file: the open document's when it is open, else the file on disk. */
  read(path: string): string | undefined;
  listDir(path: string): DirEntry[] | undefined;
}

interface Entry {
  project: DriverProject;
  lint: ProjectLint;
}

export class ServerProjects {
  /** File → its project's key ('' when it stands alone). */
  private readonly byFile = new Map<string, string>();
  private readonly projects = new Map<string, Entry>();

  constructor(private readonly host: ProjectHost) {}

  private get files(): ProjectFiles {
    return { readFile: (p) => this.host.read(p), listDir: (p) => this.host.listDir(p) };
  }

  /** The project lint `path` belongs to, or undefined when the file stands alone. */
  projectFor(path: string): ProjectLint | undefined {
    let key = this.byFile.get(path);
    if (key === undefined) {
      const project = projectOfFile(this.files, path);
      key = project && lintUnits(project).some((u) => sameFile(u, path)) ? projectKey(project) : '';
      if (project && key !== '' && !this.projects.has(key)) {
        this.projects.set(key, { project, lint: new ProjectLint({ read: (p) => this.host.read(p) }, lintUnits(project)) });
      }
      this.byFile.set(path, key);
    }
    return key === '' ? undefined : this.projects.get(key)?.lint;
  }

  /** The files of `path`'s project other than `path` (to re-check the open ones after an edit). */
  peersOf(path: string): string[] {
    const lint = this.byFile.has(path) ? this.projectFor(path) : undefined;
    return lint ? lint.files.filter((f) => f !== path) : [];
  }

  /** A file's text changed (an edit in the editor): the summaries that depend on it are refreshed. */
  changed(path: string): void {
    for (const { lint } of this.projects.values()) if (lint.has(path)) lint.changed(path);
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
}

function projectKey(p: DriverProject): string {
  return p.source.kind === 'vcxproj' ? `vcxproj:${p.source.file}` : p.source.kind === 'folder' ? `folder:${p.source.folder}` : `files:${p.units.join('|')}`;
}
