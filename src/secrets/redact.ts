/**
 * Redaction: every line Slipway prints or stores passes through one of these, and loses every
 * known secret value of 4 characters or more. A multi-line secret is also redacted line by line,
 * since programs print it that way.
 */
export const MASK = "***";
const MINIMUM = 4;

export class Redactor {
  private values: string[] = [];
  private pattern: RegExp | undefined;

  add(values: Iterable<string>): this {
    const next = new Set(this.values);
    for (const value of values) {
      for (const candidate of [value, ...value.split(/\r?\n/)]) {
        if (candidate.trim().length >= MINIMUM) next.add(candidate);
      }
    }
    if (next.size !== this.values.length) {
      // Longest first, so a secret that contains another is masked whole.
      this.values = [...next].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(this.values.map(escape).join("|"), "g");
    }
    return this;
  }

  /** Every value it masks. */
  known(): readonly string[] {
    return this.values;
  }

  apply(text: string): string {
    return this.pattern && text.length >= MINIMUM ? text.replace(this.pattern, MASK) : text;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
