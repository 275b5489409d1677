/**
 * A call fltsim knows but cannot answer faithfully (an information class it does not model, a
 * networking routine): the run stops at the calling line with kind `not-modelled`, as a call to an
 * unmodelled routine does (the CLI exits with 2: the input needs something fltsim lacks).
 */
export class NotModelled extends Error {
  readonly kind = 'not-modelled';

  constructor(what: string, hint: string) {
    super(`${what} — ${hint}`);
  }
}
