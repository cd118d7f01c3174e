/** Every project, its environments side by side: the live release, the state, the URLs. */
import { call, type Schemas } from "../api/client";
import { age, short } from "../format";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { Problem, State } from "../ui/state";
import { urlsOf } from "../urls";

type Env = Schemas["EnvironmentOverview"];

/** What the environment is doing: a deployment on its way or failed since the live release, else live (or nothing yet). */
function stateOf(env: Env): { status: string; step?: string } {
  const latest = env.latest;
  const since = latest && (!env.live || Date.parse(latest.queuedAt) > Date.parse(env.live.createdAt));
  if (latest && (latest.status === "queued" || latest.status === "running")) return { status: latest.status, ...(latest.step ? { step: latest.step } : {}) };
  if (latest && since && (latest.status === "failed" || latest.status === "interrupted")) return { status: latest.status };
  return { status: env.live ? "live" : "empty" };
}

function EnvironmentCard({ env }: { env: Env }) {
  const state = stateOf(env);
  const urls = urlsOf(env.routes);
  return (
    <li class="env" data-environment={env.environment}>
      <h3>
        <a href={hrefs.environment(env.project, env.environment)}>{env.environment}</a> <State status={state.status} step={state.step} />
      </h3>
      {env.live ? (
        <p class="live">
          <strong>{env.live.release}</strong> <code>{short(env.live.commit)}</code> <span class="muted">{age(env.live.createdAt)}</span>
          {env.live.actor && <span class="muted"> by {env.live.actor}</span>}
        </p>
      ) : (
        <p class="muted">Nothing deployed yet</p>
      )}
      {env.latest && state.status !== "live" && state.status !== "empty" && (
        <p>
          <a href={hrefs.deployment(env.latest.id)}>
            {env.latest.kind} #{env.latest.id}
          </a>
        </p>
      )}
      {urls.length > 0 && (
        <ul class="urls">
          {urls.map((u) => (
            <li key={u}>
              <a href={u}>{u}</a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function ProjectsPage() {
  const { data, error } = usePoll(() => call("overview"), [], 2000);
  // Where each project comes from: a git URL's project takes webhooks.
  const sources = usePoll(() => call("listProjects"), [], 30_000);
  const gitOf = new Map((sources.data ?? []).map((p) => [p.name, p.git]));
  const projects = new Map<string, Env[]>();
  for (const env of data ?? []) projects.set(env.project, [...(projects.get(env.project) ?? []), env]);
  return (
    <section>
      <h1>Projects</h1>
      <Problem error={error} />
      {data === undefined && !error && <p class="loading">Loading…</p>}
      {data !== undefined && projects.size === 0 && <p>No project yet: register one with POST /api/projects.</p>}
      <ul class="projects" aria-busy={data === undefined}>
        {[...projects].map(([name, envs]) => (
          <li key={name} class="project" data-project={name}>
            <h2>{name}</h2>
            {gitOf.get(name) && (
              <p class="muted source">
                from <code>{gitOf.get(name)?.url}</code> · <a href={hrefs.webhooks(name)}>webhooks</a>
              </p>
            )}
            <ul class="envs">
              {envs.map((env) => (
                <EnvironmentCard key={env.environment} env={env} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
