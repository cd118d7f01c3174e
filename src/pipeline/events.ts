/** The deployment event union lives in core (the shells render it); the pipeline emits it. */
export { STEPS, isFinal, silentSink } from "../core/events.js";
export type { DeploymentEvent, EventSink, LogStream, StepName, StepOutcome } from "../core/events.js";
