/**
 * Redaction: every line Slipway prints or stores passes through one of these, and loses every
 * known secret value of 4 characters or more. A multi-line secret is also redacted line by line,
 * since programs print it that way. Each value is also masked in the forms it takes when printed
 * for a machine: `$` doubled (compose's own escape, in `slipway config`), JSON-escaped
 * (`--json`, `--format json`), and without its leading and trailing blanks.
 */
export const MASK = "***";
const MINIMUM = 4;

const long = (text: string): boolean => text.trim().length >= MINIMUM;

/** The forms a value can take in printed text. */
function printedForms(value: string): string[] {
  const forms = new Set<string>();
  for (const form of [value, value.trim()]) {
    const dollars = form.replaceAll("$", () => "$$");
    for (const each of [form, dollars]) {
      forms.add(each);
      forms.add(JSON.stringify(each).slice(1, -1));
    }
  }
  return [...forms].filter(long);
}

export class Redactor {
  private values: string[] = [];
  private pattern: RegExp | undefined;

  add(values: Iterable<string>): this {
    const next = new Set(this.values);
    for (const value of values) {
      for (const candidate of [value, ...value.split(/\r?\n/)]) {
        if (long(candidate)) next.add(candidate);
      }
    }
    if (next.size !== this.values.length) {
      this.values = [...next].sort((a, b) => b.length - a.length);
      // Longest first, so a secret that contains another is masked whole.
      const forms = [...new Set(this.values.flatMap(printedForms))].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(forms.map(escape).join("|"), "g");
    }
    return this;
  }

  /** Every value it masks (each multi-line value also line by line). */
  known(): readonly string[] {
    return this.values;
  }

  apply(text: string): string {
    return this.pattern && text.length >= MINIMUM ? text.replace(this.pattern, MASK) : text;
  }
}

/**
 * Data with every string in it redacted, before it is rendered as YAML or JSON: a renderer
 * quotes and escapes as it likes (YAML doubles a `'`, JSON escapes a tab), and a value escaped
 * on the way out would no longer match.
 */
export function redactData<T>(data: T, redact: (text: string) => string): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return redact(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  return walk(data) as T;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
