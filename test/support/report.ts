/** A figure a test measured, printed in its output (vitest shows it under the test's name). */
export function report(line: string): void {
  process.stdout.write(`${line}\n`);
}
