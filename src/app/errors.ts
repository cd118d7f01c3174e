/** What the shells need of errors and events, without loading any operation. */
export { ExitCodes, SlipwayError, exitCodeFor, isSlipwayError, type ErrorCode, type ErrorHint } from "../core/errors.js";
export { STEPS, isFinal, type DeploymentEvent, type EventSink, type LogStream, type StepName, type StepOutcome } from "../core/events.js";
export { Redactor, redactData } from "../secrets/redact.js";
