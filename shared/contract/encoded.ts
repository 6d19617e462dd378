/**
 * A result another thread already validated, as JSON bytes. A job thread sends its answer this way
 * and the core thread passes it on untouched (transferred, not copied): a report of a million
 * annotations is parsed, checked and copied only where it is used, never on the thread that serves
 * labeling. dispatch() lets it through without validating it again.
 */
export class EncodedValue {
  constructor(readonly bytes: Uint8Array) {}

  static encode(value: unknown): EncodedValue {
    return new EncodedValue(new TextEncoder().encode(JSON.stringify(value)));
  }

  decode(): unknown {
    return JSON.parse(new TextDecoder().decode(this.bytes));
  }
}
