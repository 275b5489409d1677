/**
 * Turns a file into logical lines: comments become a space, backslash-newline joins lines, and every
 * remaining character keeps its original line and column.
 */

export interface LogicalLine {
  text: string;
  /** Original 1-based line of each character. */
  lines: number[];
  /** Original 1-based column of each character. */
  cols: number[];
  /** Line where this logical line starts. */
  line: number;
}

export function logicalLines(source: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let text = '';
  let lines: number[] = [];
  let cols: number[] = [];
  let line = 1;
  let col = 1;
  let startLine = 1;
  let inBlock = false;
  let quote: string | null = null;
  const push = (ch: string) => {
    text += ch;
    lines.push(line);
    cols.push(col);
  };
  const flush = () => {
    out.push({ text, lines, cols, line: startLine });
    text = '';
    lines = [];
    cols = [];
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\r' && source[i + 1] === '\n') continue;
    if (c === '\\' && !inBlock && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
      // Continuation: the logical line goes on.
      i += source[i + 1] === '\r' ? 2 : 1;
      line++;
      col = 1;
      continue;
    }
    if (c === '\n') {
      if (quote) quote = null; // an unterminated literal ends at the line end
      if (!inBlock) {
        flush();
        startLine = line + 1;
      }
      line++;
      col = 1;
      continue;
    }
    if (inBlock) {
      if (c === '*' && source[i + 1] === '/') {
        inBlock = false;
        i++;
        col += 2;
        continue;
      }
      col++;
      continue;
    }
    if (quote) {
      push(c);
      if (c === '\\' && i + 1 < source.length && source[i + 1] !== '\n' && source[i + 1] !== '\r') {
        i++;
        col++;
        push(source[i]);
      } else if (c === quote) {
        quote = null;
      }
      col++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i + 1 < source.length && source[i + 1] !== '\n') {
        // A `//` comment continues onto the next line after a trailing backslash.
        if (source[i + 1] === '\\' && (source[i + 2] === '\n' || (source[i + 2] === '\r' && source[i + 3] === '\n'))) {
          i += source[i + 2] === '\r' ? 3 : 2;
          line++;
          col = 1;
          continue;
        }
        i++;
      }
      push(' ');
      col++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      push(' ');
      inBlock = true;
      i++;
      col += 2;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    push(c);
    col++;
  }
  if (text.length > 0 || lines.length > 0) flush();
  return out;
}
