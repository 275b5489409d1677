/**
 * The bundled samples (`samples/<name>/…` inside the extension): copying them into a workspace
 * folder, or opening them read-only when no folder is open. What to copy is decided by
 * samplePlan.ts; this module only does the file-system and editor work.
 */
import * as vscode from 'vscode';
import { SAMPLES_TARGET_FOLDER, firstStatementLine, functionForRole, isRoutineRole, planSampleCopy, sampleEntryFile, sampleNames } from './samplePlan';

async function listFiles(root: vscode.Uri, prefix = ''): Promise<string[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(prefix ? vscode.Uri.joinPath(root, prefix) : root);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const [name, type] of entries) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (type & vscode.FileType.Directory) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export class Samples {
  private readonly root: vscode.Uri;

  constructor(context: vscode.ExtensionContext) {
    this.root = vscode.Uri.joinPath(context.extensionUri, 'samples');
  }

  async files(): Promise<string[]> {
    return listFiles(this.root);
  }

  async names(): Promise<string[]> {
    return sampleNames(await this.files());
  }

  /**
   * Copies one sample (or all of them) into `<folder>/fltsim-samples/`, keeping files that are
   * already there, and returns the folder the copies live in.
   */
  async copyInto(folder: vscode.WorkspaceFolder, only?: string): Promise<{ target: vscode.Uri; copied: number; kept: number }> {
    const target = vscode.Uri.joinPath(folder.uri, SAMPLES_TARGET_FOLDER);
    const files = await this.files();
    const present = new Set<string>();
    for (const f of files) {
      const dest = vscode.Uri.joinPath(target, f);
      if (await exists(dest)) present.add(dest.fsPath);
    }
    const plan = planSampleCopy(files, target.fsPath, (p) => present.has(p), only);
    for (const step of plan.copies) {
      await vscode.workspace.fs.copy(vscode.Uri.joinPath(this.root, step.from), vscode.Uri.file(step.to), { overwrite: false });
    }
    return { target, copied: plan.copies.length, kept: plan.kept.length };
  }

  /**
   * Where the user works on a sample: the copy in the first workspace folder when one is open
   * (copied on demand), otherwise the bundled file itself, opened read-only.
   */
  async locate(sample: string): Promise<{ base: vscode.Uri; readOnly: boolean } | undefined> {
    const names = await this.names();
    if (!names.includes(sample)) {
      void vscode.window.showErrorMessage(`fltsim: there is no bundled sample named "${sample}". Available: ${names.join(', ') || 'none'}.`);
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (!folder) return { base: vscode.Uri.joinPath(this.root, sample), readOnly: true };
    const { target } = await this.copyInto(folder, sample);
    return { base: vscode.Uri.joinPath(target, sample), readOnly: false };
  }

  /** Opens the sample's scenario (or its C file when it has no scenario). */
  async open(sample: string): Promise<vscode.TextEditor | undefined> {
    const where = await this.locate(sample);
    if (!where) return undefined;
    const entry = sampleEntryFile(await this.files(), sample);
    if (!entry) {
      void vscode.window.showErrorMessage(`fltsim: sample "${sample}" has neither a .fltsim scenario nor a .c file.`);
      return undefined;
    }
    return this.show(vscode.Uri.joinPath(where.base, entry.slice(sample.length + 1)), where.readOnly);
  }

  /**
   * Opens the sample's C file that defines `target` and puts a breakpoint on the first statement
   * of its body — the tutorials use this so the first run stops somewhere worth looking at.
   * `target` is a function name or a role (`worker`, `preRead`, `postRead`, `cancelCallback`).
   */
  async breakIn(sample: string, target: string): Promise<boolean> {
    const where = await this.locate(sample);
    if (!where) return false;
    const cFiles = (await this.files()).filter((f) => f.startsWith(`${sample}/`) && f.toLowerCase().endsWith('.c'));
    const texts = new Map<string, string>();
    for (const rel of cFiles) {
      const uri = vscode.Uri.joinPath(where.base, rel.slice(sample.length + 1));
      texts.set(uri.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    }
    let fn = target;
    if (isRoutineRole(target)) {
      fn = [...texts.values()].map((t) => functionForRole(t, target)).find((n) => n !== undefined) ?? target;
    }
    for (const [key, text] of texts) {
      const uri = vscode.Uri.parse(key);
      const line = firstStatementLine(text, fn);
      if (line === undefined) continue;
      const location = new vscode.Location(uri, new vscode.Position(line - 1, 0));
      const already = vscode.debug.breakpoints.some((b) => b instanceof vscode.SourceBreakpoint &&
        b.location.uri.toString() === uri.toString() && b.location.range.start.line === line - 1);
      if (!already) vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(location)]);
      const editor = await this.show(uri, where.readOnly);
      editor.selection = new vscode.Selection(location.range.start, location.range.start);
      editor.revealRange(location.range, vscode.TextEditorRevealType.InCenter);
      return true;
    }
    void vscode.window.showErrorMessage(`fltsim: no function "${fn}"${fn !== target ? ` (the ${target} routine)` : ''} found in the C files of sample "${sample}".`);
    return false;
  }

  private async show(uri: vscode.Uri, readOnly: boolean): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    if (readOnly) {
      // Bundled files are part of the installed extension; edits there would vanish on update.
      await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    }
    return editor;
  }
}
