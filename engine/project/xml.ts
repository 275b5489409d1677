/**
 * XML read into a small element tree (name, attributes, children, text, line) with fast-xml-parser.
 * MSBuild files need document order (a later property overrides an earlier one), so the parser
 * runs in its order-preserving mode and this module turns its output into plain elements.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated text nodes), untrimmed. */
  text: string;
}

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; message: string; line: number };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Raw = Record<string, unknown>;

function convert(node: Raw): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#comment') return undefined;
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const el: XmlElement = { name, attrs: { ...attrs }, children: [], text: '' };
  for (const child of (node[name] as Raw[]) ?? []) {
    if ('#text' in child) el.text += String(child['#text']);
    else {
      const c = convert(child);
      if (c) el.children.push(c);
    }
  }
  return el;
}

export function parseXml(text: string): XmlResult {
  const body = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, message: valid.err.msg, line: valid.err.line };
  const raw = parser.parse(body) as Raw[];
  for (const node of raw) {
    const el = convert(node);
    if (el) return { ok: true, root: el };
  }
  return { ok: false, message: 'the file holds no XML element', line: 1 };
}

/** Line (1-based) of the first occurrence of `needle` in `text`, for pointing notes at a project file. */
export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i < 0 ? 1 : lineAt(text, i);
}

/** Line (1-based) of the character at `index`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < index; j = text.indexOf('\n', j + 1)) line++;
  return line;
}
