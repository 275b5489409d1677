/**
 * `client` lines: the scenario plays the user-mode program on the other side of a driver's
 * communication port.
 *
 *   client "\ScannerPort" connect at 1                       // FilterConnectCommunicationPort
 *   client "\ScannerPort" connect context "hello" at 1       // with a connection context
 *   client "\ScannerPort" reply hex "01"                     // answers every message with these bytes
 *   client "\ScannerPort" reply hex "00" when contains "foul" after 2
 *   client "\ScannerPort" reply ulong 1 when kind 3          // first ULONG of the message is 3
 *   client "\ScannerPort" no-reply when kind 2               // never answers those messages
 *   client "\ScannerPort" ignore-messages                    // never calls FilterGetMessage
 *   client "\MiniSpyPort" send ulong 0 ulong 0 output 4096 at 5
 *   client "\ScannerPort" disconnect at 20                   // closes its handle
 *
 * Bytes are written as parts, joined in order: a quoted string (its ASCII bytes, no terminator),
 * `wide "text"` (UTF-16LE, no terminator), `hex "01 ff"`, `ulong N` (4 bytes, little-endian) and
 * `zeros N`.
 */
import type { ClientMatch, ClientStatement, Span } from './ast';
import { LIMITS, LineCursor, readInteger, readString, readTime, spanOf } from './cursor';
import type { Token } from './lexer';
import { didYouMean } from './suggest';
import { CLIENT_ACTIONS, PAYLOAD_WORDS, type ClientActionWord } from './vocabulary';

const EXAMPLE = 'client "\\ScannerPort" connect at 1';

/** The most bytes one `client` line may describe. */
const MAX_PAYLOAD = 1 << 20;

function base(cur: LineCursor): Span & { text: string } {
  return { ...cur.statementSpan(), text: cur.codeText() };
}

export function parseClient(cur: LineCursor): ClientStatement | undefined {
  const port = readString(cur, 'port name', EXAMPLE);
  if (!port) return undefined;
  if (port.value.trim() === '') {
    return cur.error(port.span, 'missing-string', 'the port name is empty', `Name the port the driver creates with FltCreateCommunicationPort: ${EXAMPLE}`);
  }
  const word = cur.next();
  if (!word) return cur.error(cur.whereMissing(), 'missing-value', 'missing client action', `Say what the user-mode program does (${CLIENT_ACTIONS.join(', ')}): ${EXAMPLE}`);
  if (word.kind !== 'word' || !(CLIENT_ACTIONS as readonly string[]).includes(word.value)) {
    return cur.error(word, 'unknown-operation', `unknown client action '${word.raw}'${didYouMean(word.value, CLIENT_ACTIONS)}`, `Client actions: ${CLIENT_ACTIONS.join(', ')}.`);
  }
  const action = word.value as ClientActionWord;
  const head = { kind: 'client' as const, port: port.value, portSpan: port.span };
  switch (action) {
    case 'connect': {
      let context: number[] | undefined;
      if (cur.peek()?.kind === 'word' && cur.peek()!.value === 'context') {
        const t = cur.next()!;
        context = readPayload(cur, t, ['at']);
        if (context === undefined) return undefined;
      }
      const time = readTime(cur, EXAMPLE);
      if (time === undefined || !cur.expectEnd('the connect time')) return undefined;
      return { ...head, ...base(cur), action, time, ...(context === undefined ? {} : { context }) };
    }
    case 'send': {
      const data = readPayload(cur, word, ['output', 'at']);
      if (data === undefined) return undefined;
      let output = 0;
      if (cur.peek()?.kind === 'word' && cur.peek()!.value === 'output') {
        const n = readInteger(cur, cur.next()!, 'output buffer size', LIMITS.ulong);
        if (n === undefined) return undefined;
        output = n;
      }
      const time = readTime(cur, 'client "\\MiniSpyPort" send ulong 0 output 4096 at 5');
      if (time === undefined || !cur.expectEnd('the send time')) return undefined;
      return { ...head, ...base(cur), action, time, data, output };
    }
    case 'disconnect': {
      const time = readTime(cur, 'client "\\ScannerPort" disconnect at 20');
      if (time === undefined || !cur.expectEnd('the disconnect time')) return undefined;
      return { ...head, ...base(cur), action, time };
    }
    case 'reply':
    case 'no-reply': {
      let reply: number[] | null = null;
      if (action === 'reply') {
        const bytes = readPayload(cur, word, ['when', 'after']);
        if (bytes === undefined) return undefined;
        reply = bytes;
      }
      const match: ClientMatch = {};
      let delay = 0;
      while (!cur.atEnd()) {
        const t = cur.next()!;
        if (t.kind === 'word' && t.value === 'when' && match.kind === undefined && match.contains === undefined) {
          const what = cur.next();
          if (what?.kind === 'word' && what.value === 'kind') {
            const n = readInteger(cur, what, 'message kind', LIMITS.ulong);
            if (n === undefined) return undefined;
            match.kind = n;
          } else if (what?.kind === 'word' && what.value === 'contains') {
            const bytes = readPayload(cur, what, ['after']);
            if (bytes === undefined) return undefined;
            match.contains = bytes;
          } else {
            return cur.error(what ?? t, 'unexpected-token', `expected 'kind' or 'contains' after 'when'`, 'Choose the messages by their first ULONG (when kind 2) or by bytes they hold (when contains "foul").');
          }
        } else if (t.kind === 'word' && t.value === 'after') {
          const n = readInteger(cur, t, 'reply delay');
          if (n === undefined) return undefined;
          delay = n;
        } else {
          return cur.error(t, 'unexpected-token', `unexpected '${t.raw}' in a ${action} line`, `After the bytes may come 'when kind N' or 'when contains "…"', and 'after N' (ticks before answering).`);
        }
      }
      return { ...head, ...base(cur), action: 'reply', reply, match, delay };
    }
    case 'ignore-messages':
      if (!cur.expectEnd('ignore-messages')) return undefined;
      return { ...head, ...base(cur), action };
  }
}

/**
 * Reads byte parts until the line ends or one of `stop` comes; at least one part. `label` is the
 * word the bytes follow.
 */
function readPayload(cur: LineCursor, label: Token, stop: readonly string[]): number[] | undefined {
  const out: number[] = [];
  let parts = 0;
  const hint = `Write the bytes as a quoted string ("foul"), wide "text", hex "01 ff", ulong N or zeros N, one or more.`;
  while (!cur.atEnd()) {
    const t = cur.peek()!;
    if (t.kind === 'word' && stop.includes(t.value)) break;
    cur.next();
    if (t.kind === 'string') {
      for (const ch of t.value) {
        const c = ch.codePointAt(0)!;
        if (c > 0x7f) return cur.error(t, 'bad-name', `'${ch}' is not an ASCII character`, `Quoted bytes are ASCII; write other text as wide "…" or the bytes as hex "…".`);
        out.push(c);
      }
    } else if (t.kind === 'word' && (PAYLOAD_WORDS as readonly string[]).includes(t.value)) {
      if (t.value === 'ulong') {
        const n = readInteger(cur, t, 'ULONG value', LIMITS.ulong);
        if (n === undefined) return undefined;
        out.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
      } else if (t.value === 'zeros') {
        const n = readInteger(cur, t, 'byte count', MAX_PAYLOAD);
        if (n === undefined) return undefined;
        for (let i = 0; i < n; i++) out.push(0);
      } else {
        const s = readString(cur, t.value === 'hex' ? 'hex bytes' : 'text', t.value === 'hex' ? 'hex "01 00 ff"' : 'wide "C:\\\\a.txt"');
        if (!s) return undefined;
        if (t.value === 'wide') {
          for (let i = 0; i < s.value.length; i++) {
            const c = s.value.charCodeAt(i);
            out.push(c & 0xff, c >> 8);
          }
        } else {
          const digits = s.value.replace(/[\s,]+/g, '');
          if (!/^([0-9a-fA-F]{2})*$/.test(digits)) {
            return cur.error(s.span, 'bad-number', `"${s.value}" is not a sequence of hex bytes`, 'Write two hex digits per byte, spaces allowed: hex "01 00 ff".');
          }
          for (let i = 0; i < digits.length; i += 2) out.push(parseInt(digits.slice(i, i + 2), 16));
        }
      }
    } else {
      return cur.error(t, 'unexpected-token', `unexpected '${t.raw}' in the bytes after '${label.raw}'`, hint);
    }
    parts++;
    if (out.length > MAX_PAYLOAD) return cur.error(spanOf(t), 'bad-number', `more than ${MAX_PAYLOAD} bytes on one line`, 'Keep a client line\'s bytes under 1 MiB.');
  }
  if (parts === 0) return cur.error(cur.whereMissing(), 'missing-value', `missing bytes after '${label.raw}'`, hint);
  return out;
}
