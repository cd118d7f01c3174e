/**
 * The seam between the pipeline's order of steps and what runs a release: the compose
 * executor (one Docker host, today's steps) or the swarm executor (stacks on a swarm). The
 * pipeline (deploy.ts) keeps the order, the records and the rules of failure for both.
 */
import { environmentDriver } from "../config/environment-driver.js";
import { composeDown } from "./compose-down.js";
import { releaseProject, type DeployRun } from "./deploy-run.js";
import { preflight } from "./steps/preflight.js";
import { releaseTask } from "./steps/release.js";
import { retire } from "./steps/retire.js";
import { releaseContainers, start, startAfterSwitch } from "./steps/start.js";
import { switchTraffic } from "./steps/switch.js";
import { verify } from "./steps/verify.js";
import { swarmPreflight, swarmStart, swarmTakeDown, swarmVerify } from "./swarm/stack-steps.js";
import { swarmReleaseTask, swarmRetire, swarmSwitch } from "./swarm/switch-steps.js";

export interface Executor {
  preflight(run: DeployRun): Promise<void>;
  releaseTask(run: DeployRun): Promise<"ran" | "skipped">;
  start(run: DeployRun): Promise<void>;
  verify(run: DeployRun): Promise<void>;
  /** Moves traffic; resolves with what the retire needs to finish the old release. */
  switchTraffic(run: DeployRun): Promise<() => Promise<void>>;
  /** Takes the new release down after a failure before the switch; throws its own failure. */
  takeDown(run: DeployRun): Promise<void>;
}

const composeExecutor: Executor = {
  preflight,
  releaseTask,
  start,
  verify,
  async switchTraffic(run) {
    const retiring = await switchTraffic(run);
    // The kept workers a rollback brings back start beside the retire's drain.
    return async () => void (await Promise.all([startAfterSwitch(run), retire(run, retiring)]));
  },
  async takeDown(run) {
    if (run.request.resume) {
      // A kept release that failed to come back is stopped again, still kept.
      await run.deps.engine.stopContainers((await releaseContainers(run)).map((c) => c.id), 10);
      return;
    }
    await composeDown(run.deps.compose, releaseProject(run), { onLine: (line, stream) => run.log("verify", stream, line) });
  },
};

const swarmExecutor: Executor = {
  preflight: swarmPreflight,
  releaseTask: swarmReleaseTask,
  start: swarmStart,
  verify: swarmVerify,
  async switchTraffic(run) {
    await swarmSwitch(run);
    return () => swarmRetire(run);
  },
  takeDown: swarmTakeDown,
};

export function executorOf(run: Pick<DeployRun, "request">): Executor {
  return environmentDriver(run.request.resolved.project.environment.settings) === "swarm" ? swarmExecutor : composeExecutor;
}
