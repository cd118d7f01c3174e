/**
 * An error's hint, in the CLI's own words: the flag or command that does what it suggests,
 * written as the end of the error's sentence (a server words the same hint its own way).
 */
import type { ErrorHint } from "../app/errors.js";

export function renderHint(hint: ErrorHint): string {
  switch (hint.action) {
    case "wait-for-lock":
      return "; wait for it, or run without --no-wait to queue behind it";
    case "read-deployment-log":
      return ` (slipway logs --deployment ${hint.deploymentId})`;
    case "allow-dirty":
      return " with --allow-dirty (the build is then tagged -dirty)";
    case "deploy-ref":
      return `: slipway deploy --ref ${hint.ref}`;
    case "build-elsewhere-first":
      return " (--build-mode reuse): deploy it to another environment first, or use --build-mode auto";
    case "list-releases":
      return ": see slipway releases";
    case "deploy-first":
      return ` (slipway deploy --env ${hint.environment})`;
    case "replace-config":
      return " (slipway init --force)";
    case "one-off-instead":
      return `: slipway ${hint.verb} ${hint.service} -- COMMAND…`;
    case "confirm-with-yes":
      return `: run slipway ${hint.command} --yes (from a script), or on a terminal`;
  }
}

/** The error's message with its hint said as the CLI says it. */
export function withHint(message: string, hint: ErrorHint | undefined): string {
  return hint ? `${message}${renderHint(hint)}` : message;
}
