/**
 * Part of preflight: the environment's certificate issued (or read from the user's files) and
 * served before anything else changes, so that no deploy goes live on a host name without one;
 * then every other certificate of the host renewed if due.
 */
import { createAcme } from "../../adapters/acme.js";
import { certificateName, hostNames, tlsPlan } from "../../plan/tls.js";
import { ensureCertificate, renewCertificates, type CertificateDeps } from "../certificates.js";
import type { DeployDeps, DeployRun } from "../deploy-run.js";
import { restoreRouter } from "../router-sync.js";

export function certificateDeps(deps: DeployDeps): CertificateDeps {
  return { router: deps.router, ...(deps.swarmRouter ? { swarmRouter: deps.swarmRouter.certificates } : {}), home: deps.paths.home, routerDir: deps.paths.router, clock: deps.clock, sealer: deps.sealer, acme: deps.acme ?? createAcme() };
}

/** Whether the environment's certificate comes from its ACME CA (the router then answers the challenge on its HTTP port). */
export function needsChallenges(run: DeployRun): boolean {
  const tls = tlsPlan(run.request.resolved.project.config, run.request.resolved.project.environment.settings);
  return "mode" in tls && tls.mode === "acme" && hostNames(run.plan.routes).length > 0;
}

/**
 * The environment's certificate, on the router that serves it (the swarm router for a swarm
 * environment); `installed` runs when one was installed: the hosts it covers, where already
 * routed, then redirect to HTTPS.
 */
export async function ensureEnvironmentCertificate(run: DeployRun, target: { readonly router?: "swarm"; readonly installed: () => Promise<void> } = { installed: async () => void (await restoreRouter(run.deps, run.plan, { keepServing: true, serveWeb: needsChallenges(run) })) }): Promise<void> {
  const { project } = run.request.resolved;
  const tls = tlsPlan(project.config, project.environment.settings);
  const hosts = hostNames(run.plan.routes);
  const deps = certificateDeps(run.deps);
  const name = certificateName(run.plan.project, run.plan.environment);
  if ("mode" in tls && tls.mode !== "off" && hosts.length > 0) {
    const done = await ensureCertificate(deps, { project: run.plan.project, environment: run.plan.environment, name, hosts, tls, projectDir: project.dir, ...(target.router ? { router: target.router } : {}) });
    if (done !== undefined) {
      run.log("preflight", "info", done);
      await target.installed();
    }
  }
  // Every deploy renews what is due on the host; another environment's failure is only a warning here.
  for (const outcome of await renewCertificates(deps, { only: (record) => record.name !== name })) {
    if (outcome.action === "renewed") run.log("preflight", "info", `renewed certificate ${outcome.name}: ${outcome.message}`);
    if (outcome.action === "failed") run.log("preflight", "info", `warning: certificate ${outcome.name} is due and could not be renewed: ${outcome.message}`);
  }
}
