/** How the command line prints file names: relative to the working folder when inside it, with forward slashes. */
import * as path from 'node:path';

/** Display paths by file, for one working folder: a timeline names the same few files on thousands of lines. */
const shownByFile = new Map<string, string>();
let shownFor = '';

export function relative(file: string): string {
  if (file.startsWith('<')) return file;
  const cwd = process.cwd();
  if (cwd !== shownFor) {
    shownByFile.clear();
    shownFor = cwd;
  }
  let shown = shownByFile.get(file);
  if (shown === undefined) {
    const rel = path.relative(cwd, file);
    shown = (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
    shownByFile.set(file, shown);
  }
  return shown;
}
