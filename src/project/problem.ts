/** A problem found in the user's input, with where it is when known. */
import type { SourcePosition } from "../config/compose-source.js";
import { SlipwayError, type ErrorCode } from "../core/errors.js";

export interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly position?: SourcePosition;
}

export function renderProblem(problem: Problem): string {
  const where = problem.position ? `${problem.position.file}:${problem.position.line}:${problem.position.column}: ` : "";
  return `${where}${problem.message}`;
}

/** One error for a list of problems: the first problem's code decides the class. */
export function problemsError(problems: readonly Problem[], headline?: string): SlipwayError {
  const first = problems[0];
  const code = first?.code ?? "E_INTERNAL";
  const title = headline ?? (problems.length === 1 && first ? renderProblem(first) : `${problems.length} problems must be fixed first:`);
  return new SlipwayError(code, title, { details: problems.length === 1 && !headline ? [] : problems.map(renderProblem) });
}
