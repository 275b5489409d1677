/**
 * `transaction` lines: how a scenario's transaction ends. Creates join a transaction with the `io`
 * option `transaction "T1"`; this line commits or rolls it back at a time.
 *
 *   transaction "T1" commit at 10
 *   transaction "T1" rollback at 10
 */
import type { Span, TransactionStatement } from './ast';
import { LineCursor, readString, readTime } from './cursor';
import { didYouMean } from './suggest';
import { TRANSACTION_OUTCOMES, type TransactionOutcome } from './vocabulary';

const EXAMPLE = 'transaction "T1" commit at 10';

function base(cur: LineCursor): Span & { text: string } {
  return { ...cur.statementSpan(), text: cur.codeText() };
}

export function parseTransaction(cur: LineCursor): TransactionStatement | undefined {
  const name = readString(cur, 'transaction name', EXAMPLE);
  if (!name) return undefined;
  if (name.value.trim() === '') return cur.error(name.span, 'missing-string', 'the transaction name is empty', `Name the transaction as the io lines that join it do: ${EXAMPLE}`);
  const word = cur.next();
  if (!word) return cur.error(cur.whereMissing(), 'missing-value', 'missing outcome', `Say how the transaction ends (${TRANSACTION_OUTCOMES.join(' or ')}): ${EXAMPLE}`);
  if (word.kind !== 'word' || !(TRANSACTION_OUTCOMES as readonly string[]).includes(word.value)) {
    return cur.error(word, 'unknown-operation', `unknown transaction outcome '${word.raw}'${didYouMean(word.value, TRANSACTION_OUTCOMES)}`, `A transaction ends with ${TRANSACTION_OUTCOMES.join(' or ')}.`);
  }
  const time = readTime(cur, EXAMPLE);
  if (time === undefined || !cur.expectEnd('the transaction time')) return undefined;
  return { kind: 'transaction', ...base(cur), name: name.value, nameSpan: name.span, outcome: word.value as TransactionOutcome, time };
}
