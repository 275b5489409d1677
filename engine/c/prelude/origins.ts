/**
 * Where each structure of the built-in headers comes from, and which built-in headers a file's
 * includes reach. The compiled prelude hands every driver all of its declarations at once, but a
 * real driver sees only what the headers it includes declare: one that declares the PE layout
 * itself (because <ntddk.h> does not give it) must keep its own definition rather than meet
 * fltsim's <ntimage.h> copy.
 */
import { preludeHeaders } from './index';

/** A structure or union definition with a tag, as the prelude texts write them. */
const DEFINITION = /\b(?:struct|union)\s+([A-Za-z_]\w*)\s*\{/g;
const INCLUDE = /#include\s*<([^>]+)>/g;

interface Origins {
  texts: Map<string, string>;
  /** Tag → the built-in header whose own text defines it. */
  homes: Map<string, string>;
}

let origins: Origins | undefined;

function load(): Origins {
  if (origins) return origins;
  const texts = preludeHeaders();
  const homes = new Map<string, string>();
  for (const [header, text] of texts) {
    for (const m of text.matchAll(DEFINITION)) if (!homes.has(m[1]!)) homes.set(m[1]!, header);
  }
  return (origins = { texts, homes });
}

/** Every built-in header the named ones include, themselves included (lower-case names). */
export function headersReached(named: Iterable<string>): Set<string> {
  const { texts } = load();
  const reached = new Set<string>();
  const todo = [...named];
  while (todo.length > 0) {
    const h = todo.pop()!.toLowerCase();
    if (reached.has(h)) continue;
    reached.add(h);
    for (const m of (texts.get(h) ?? '').matchAll(INCLUDE)) todo.push(m[1]!);
  }
  return reached;
}

/** How a file stands to a structure tag the prelude defines. */
export type PreludeTagStanding =
  /** Not a prelude structure. */
  | { kind: 'none' }
  /** Defined by a built-in header the file's includes never reach: the file may define it itself. */
  | { kind: 'extra' }
  /** Defined by a header the file includes (`via`, as the file named it). */
  | { kind: 'included'; via: string };

/** For one translation unit: `named` are the built-in headers its files include. */
export function preludeTagStanding(named: ReadonlySet<string>): (tag: string) => PreludeTagStanding {
  const { homes } = load();
  const reached = headersReached(named);
  return (tag) => {
    const home = homes.get(tag);
    if (home === undefined) return { kind: 'none' };
    if (!reached.has(home)) return { kind: 'extra' };
    const via = [...named].find((n) => headersReached([n]).has(home)) ?? home;
    return { kind: 'included', via };
  };
}
