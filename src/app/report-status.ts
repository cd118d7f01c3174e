/**
 * Shows a deployment on its commit at the project's git provider: pending once it is queued
 * with a known commit, then how it ended. An end is reported only for a deployment whose
 * pending status was (a dirty tree's, or one queued by a ref alone and superseded before it
 * ran, has none), so a commit never shows an end without a start.
 */
import type { DeploymentStatus, StatusReportRow, StatusTargetRow } from "../store/store.js";
import type { App } from "./app.js";
import type { DeploymentFacts } from "./deployment-facts.js";
import { STATUS_RETRIES, postWithRetries, type RetryPolicy } from "./http-delivery.js";
import { commitStatusCall, githubDeploymentCall, githubDeploymentStatusCall, type ProviderTarget, type StatusCall, type StatusContext, type StatusPhase } from "./status-providers.js";

export function phaseOf(status: DeploymentStatus): StatusPhase {
  if (status === "queued" || status === "running") return "pending";
  if (status === "succeeded") return "succeeded";
  return status === "cancelled" || status === "superseded" ? "cancelled" : "failed";
}

function descriptionOf(facts: DeploymentFacts, phase: StatusPhase): string {
  const { row } = facts;
  if (phase === "pending") return `deployment ${facts.deploymentId} (${row.kind} of ${row.ref}) to ${facts.environment}`;
  if (phase === "succeeded") return `${facts.release ?? "the release"} is live on ${facts.environment}`;
  const why = row.error ? `: ${row.error}` : "";
  return phase === "cancelled" ? `cancelled${why}` : `failed${why}`;
}

interface Reporter {
  send(call: StatusCall): Promise<string | undefined>;
}

export async function reportStatus(app: App, facts: DeploymentFacts, phase: StatusPhase, signal: AbortSignal, policy: RetryPolicy = STATUS_RETRIES): Promise<void> {
  const { store, sealer } = await app.deps();
  const target = await store.statusTarget(facts.projectId);
  if (!target || !facts.commit) return;
  const earlier = await store.statusReports({ projectId: facts.projectId, deploymentId: facts.deploymentId, limit: 100 });
  // Pending once; an end only after a pending.
  if ((phase === "pending") !== (earlier.length === 0)) return;
  const token = sealer().open(target.token, "a commit-status token");
  app.redactor.add([token]);
  const provider: ProviderTarget = { provider: target.provider, repository: target.repository, apiUrl: target.apiUrl, token };
  const context: StatusContext = {
    sha: facts.commit,
    environment: facts.environment,
    phase,
    description: app.redactor.apply(descriptionOf(facts, phase)),
    ...(facts.link ? { targetUrl: facts.link } : {}),
    ...(facts.urls[0] ? { environmentUrl: facts.urls[0] } : {}),
  };
  const reporter = reporterFor(app, facts, target, { signal, policy });
  if (target.provider === "github") await githubDeployment(reporter, provider, context, earlier);
  await reporter.send(commitStatusCall(provider, context));
}

/** GitHub: a deployment made at pending, then its status; at the end, the status of the deployment pending made. */
async function githubDeployment(reporter: Reporter, target: ProviderTarget, context: StatusContext, earlier: readonly StatusReportRow[]): Promise<void> {
  const id = context.phase === "pending" ? await reporter.send(githubDeploymentCall(target, context)) : earlier.find((r) => r.state === "deployment" && r.externalId)?.externalId;
  if (id !== undefined) await reporter.send(githubDeploymentStatusCall(target, id, context));
}

function reporterFor(app: App, facts: DeploymentFacts, target: StatusTargetRow, options: { signal: AbortSignal; policy: RetryPolicy }): Reporter {
  return {
    async send(call) {
      const { store } = await app.deps();
      let externalId: string | undefined;
      await postWithRetries(call.post, {
        ...options,
        clock: app.clock,
        record: async (outcome, body) => {
          externalId = call.state === "deployment" && body !== undefined ? idIn(body) : undefined;
          await store.recordStatusReport({
            projectId: facts.projectId,
            deploymentId: facts.deploymentId,
            provider: target.provider,
            state: call.state,
            ...outcome,
            ...(outcome.error ? { error: app.redactor.apply(outcome.error) } : {}),
            ...(externalId ? { externalId } : {}),
          });
        },
      });
      return externalId;
    },
  };
}

/** The `id` of a JSON answer (a GitHub deployment's). */
function idIn(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === "number" || typeof id === "string" ? String(id) : undefined;
  } catch {
    return undefined;
  }
}
