/**
 * `client` lines: the scenario plays the user-mode program on the other side of a driver's
 * communication port.
 *
 *   client "\ScannerPort" connect at 1                       // FilterConnectCommunicationPort
 *   client "\ScannerPort" connect context "hello" at 1       // with a connection context
 *   client "\ScannerPort" connect process "scan.exe" at 1    // from a scenario process
 *   client "\ScannerPort" reply hex "01"                     // answers every message with these bytes
 *   client "\ScannerPort" reply hex "00" when contains "foul" after 2
 *   client "\ScannerPort" reply ulong 1 when kind 3          // first ULONG of the message is 3
 *   client "\ScannerPort" no-reply when kind 2               // never answers those messages
 *   client "\ScannerPort" ignore-messages                    // never calls FilterGetMessage
 *   client "\MiniSpyPort" send ulong 0 ulong 0 output 4096 at 5
 *   client "\ScannerPort" disconnect at 20                   // closes its handle
 *
 * After it replies to a message, the program can go on, one `then` line per step, in order:
 *
 *   client "\AvPort" then send ulong 1 message 8 8 output 8 when kind 0   // bytes 8..15 of the message answered
 *   client "\AvPort" then scan-section output 0 find "EICAR" infected ulong 1 clean ulong 2
 *   client "\AvPort" then send ulong 2 message 8 8 verdict              // the verdict the scan chose
 *
 * Bytes are written as parts, joined in order (payload.ts): a quoted string (its ASCII bytes, no
 * terminator), `wide "text"`, `hex "01 ff"`, `uchar N`, `ushort N`, `ulong N`, `ulonglong N`, `zeros N`.
 */
import type { ClientMatch, ClientPayloadPart, ClientStatement, ClientStepStatement, Span } from './ast';
import { LIMITS, LineCursor, readInteger, readString, readTime, spanOf } from './cursor';
import type { Token } from './lexer';
import { didYouMean } from './suggest';
import { MAX_PAYLOAD, PAYLOAD_HINT, readBytePart } from './payload';
import { CLIENT_ACTIONS, CLIENT_STEPS, FOLLOW_UP_PAYLOAD_WORDS, type ClientActionWord } from './vocabulary';

const EXAMPLE = 'client "\\ScannerPort" connect at 1';


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
        context = readPayload(cur, t, ['process', 'at']);
        if (context === undefined) return undefined;
      }
      // The process the program runs in: it connects, sends and disconnects from there.
      let process: { value: string; span: Span } | undefined;
      if (cur.peek()?.kind === 'word' && cur.peek()!.value === 'process') {
        cur.next();
        process = readString(cur, 'process name', 'client "\\ScannerPort" connect process "scanuser.exe" at 1');
        if (process === undefined) return undefined;
      }
      const time = readTime(cur, EXAMPLE);
      if (time === undefined || !cur.expectEnd('the connect time')) return undefined;
      return { ...head, ...base(cur), action, time, ...(context === undefined ? {} : { context }), ...(process === undefined ? {} : { process: process.value, processSpan: process.span }) };
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
    case 'then': {
      const step = parseStep(cur, word);
      if (step === undefined) return undefined;
      const match: ClientMatch = {};
      if (!cur.atEnd()) {
        const t = cur.next()!;
        if (!(t.kind === 'word' && t.value === 'when') || !readMatch(cur, match)) {
          return cur.error(t, 'unexpected-token', `unexpected '${t.raw}' after the step`, `A 'then' line may end with 'when kind N' or 'when contains "…"'.`);
        }
        if (!cur.expectEnd('the step')) return undefined;
      }
      return { ...head, ...base(cur), action, step, match };
    }
  }
}

const THEN_EXAMPLE = 'client "\\AvPort" then send ulong 1 message 8 8 output 8';

/** `send <bytes> [output N]` or `scan-section output N find <bytes> infected <bytes> clean <bytes> [after N]`. */
function parseStep(cur: LineCursor, then: Token): ClientStepStatement | undefined {
  const w = cur.next();
  if (!w || w.kind !== 'word' || !(CLIENT_STEPS as readonly string[]).includes(w.value)) {
    return cur.error(w ?? cur.whereMissing(), w ? 'unknown-operation' : 'missing-value', w ? `unknown step '${w.raw}'${didYouMean(w.value, CLIENT_STEPS)}` : `missing step after '${then.raw}'`, `Steps after a reply: ${CLIENT_STEPS.join(', ')}. For example ${THEN_EXAMPLE}`);
  }
  if (w.value === 'send') {
    const parts = readParts(cur, w, ['output', 'when'], true);
    if (parts === undefined) return undefined;
    let output = 0;
    if (cur.peek()?.kind === 'word' && cur.peek()!.value === 'output') {
      const n = readInteger(cur, cur.next()!, 'output buffer size', LIMITS.ulong);
      if (n === undefined) return undefined;
      output = n;
    }
    return { step: 'send', parts, output };
  }
  const words = ['output', 'find', 'infected', 'clean'] as const;
  const got: { output?: number; find?: number[]; infected?: number[]; clean?: number[] } = {};
  for (const expected of words) {
    const t = cur.next();
    if (!t || t.kind !== 'word' || t.value !== expected) {
      return cur.error(t ?? cur.whereMissing(), t ? 'unexpected-token' : 'missing-value', `expected '${expected}' in the scan-section step`, 'Write: then scan-section output OFFSET find <bytes> infected <bytes> clean <bytes> [after TICKS] (the handle is at OFFSET of the last send\'s output).');
    }
    if (expected === 'output') {
      const n = readInteger(cur, t, 'offset of the handle in the last output', LIMITS.ulong);
      if (n === undefined) return undefined;
      got.output = n;
    } else {
      const bytes = readPayload(cur, t, [...words, 'when', 'after']);
      if (bytes === undefined) return undefined;
      got[expected] = bytes;
    }
  }
  let delay = 0;
  if (cur.peek()?.kind === 'word' && cur.peek()!.value === 'after') {
    const n = readInteger(cur, cur.next()!, 'scan time in ticks');
    if (n === undefined) return undefined;
    delay = n;
  }
  return { step: 'scan-section', outputOffset: got.output!, find: got.find!, infected: got.infected!, clean: got.clean!, delay };
}

/** `when kind N` or `when contains <bytes>` after `when`; false (with nothing reported) for anything else. */
function readMatch(cur: LineCursor, match: ClientMatch): boolean {
  const what = cur.next();
  if (what?.kind === 'word' && what.value === 'kind') {
    const n = readInteger(cur, what, 'message kind', LIMITS.ulong);
    if (n === undefined) return false;
    match.kind = n;
    return true;
  }
  if (what?.kind === 'word' && what.value === 'contains') {
    const bytes = readPayload(cur, what, []);
    if (bytes === undefined) return false;
    match.contains = bytes;
    return true;
  }
  return false;
}

/**
 * Reads byte parts until the line ends or one of `stop` comes; at least one part. `label` is the
 * word the bytes follow.
 */
function readPayload(cur: LineCursor, label: Token, stop: readonly string[]): number[] | undefined {
  const parts = readParts(cur, label, stop, false);
  return parts === undefined ? undefined : parts.flatMap((p) => ('bytes' in p ? p.bytes : []));
}

/** readPayload for a `then send` line, which may also copy bytes of the message (`message O L`) and send the `verdict`. */
function readParts(cur: LineCursor, label: Token, stop: readonly string[], followUp: boolean): ClientPayloadPart[] | undefined {
  const out: number[] = [];
  const list: ClientPayloadPart[] = [];
  let size = 0;
  let parts = 0;
  const flush = () => {
    if (out.length > 0) list.push({ bytes: out.splice(0) });
  };
  const hint = `${PAYLOAD_HINT.slice(0, -1)}${followUp ? '; after a reply also message OFFSET LENGTH (bytes of the message answered) and verdict (what the last scan-section chose)' : ''}.`;
  while (!cur.atEnd()) {
    const t = cur.peek()!;
    if (t.kind === 'word' && stop.includes(t.value)) break;
    cur.next();
    if (t.kind === 'word' && (FOLLOW_UP_PAYLOAD_WORDS as readonly string[]).includes(t.value)) {
      if (!followUp) return cur.error(t, 'unexpected-token', `'${t.raw}' only has a meaning in a 'then send' line`, `'message' and 'verdict' refer to the message the program answered; use them in: ${THEN_EXAMPLE}`);
      flush();
      if (t.value === 'verdict') {
        list.push({ verdict: true });
      } else {
        const offset = readInteger(cur, t, 'offset in the message', LIMITS.ulong);
        if (offset === undefined) return undefined;
        const length = readInteger(cur, t, 'number of bytes of the message', MAX_PAYLOAD);
        if (length === undefined) return undefined;
        list.push({ message: { offset, length } });
        size += length;
      }
      parts++;
      continue;
    }
    const before = out.length;
    const r = readBytePart(cur, t, out);
    if (r === undefined) return undefined;
    if (r === false) return cur.error(t, 'unexpected-token', `unexpected '${t.raw}' in the bytes after '${label.raw}'`, hint);
    parts++;
    size += out.length - before;
    if (size > MAX_PAYLOAD) return cur.error(spanOf(t), 'bad-number', `more than ${MAX_PAYLOAD} bytes on one line`, 'Keep a client line\'s bytes under 1 MiB.');
  }
  if (parts === 0) return cur.error(cur.whereMissing(), 'missing-value', `missing bytes after '${label.raw}'`, hint);
  flush();
  return list;
}
