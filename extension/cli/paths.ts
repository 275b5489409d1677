/** How the command line prints file names: relative to the working folder when inside it, with forward slashes. */
import * as path from 'node:path';

export function relative(file: string): string {
  if (file.startsWith('<')) return file;
  const rel = path.relative(process.cwd(), file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}
