/** An environment: the live release, its containers and health, the route, its deployments. */
import { call, type Schemas } from "../api/client";
import { age } from "../format";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { useCan } from "../session";
import { ConfirmButton } from "../ui/confirm";
import { EnvironmentHeader } from "../ui/env-header";
import { Problem, State } from "../ui/state";
import { urlsOf } from "../urls";
import { EnvironmentActions } from "./environment-actions";

type Status = Schemas["EnvironmentStatus"];
type Deployment = Schemas["Deployment"];

function Containers({ containers }: { containers: Status["containers"] }) {
  const apps = containers.filter((c) => c.release !== "accessories");
  if (apps.length === 0) return <p class="muted">No container runs.</p>;
  return (
    <div class="scroll" tabIndex={0}>
      <table>
        <caption>Containers</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Release</th>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {apps.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.release}</td>
              <td>{c.service}</td>
              <td>
                <State status={c.status} />
              </td>
              <td>{c.health ?? "-"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Deployments({ deployments, reload }: { deployments: readonly Deployment[]; reload: () => void }) {
  const canCancel = useCan("deployer");
  return (
    <div class="scroll" tabIndex={0}>
      <table>
        <caption>Deployments</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Kind</th>
            <th scope="col">Ref</th>
            <th scope="col">State</th>
            <th scope="col">Who</th>
            <th scope="col">When</th>
            {canCancel && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {deployments.map((d) => (
            <tr key={d.id}>
              <td>
                <a href={hrefs.deployment(d.id)}>#{d.id}</a>
              </td>
              <td>{d.kind}</td>
              <td>
                <code>{d.ref}</code>
              </td>
              <td>
                <State status={d.status} />
              </td>
              <td>{d.actor}</td>
              <td>{age(d.queuedAt)}</td>
              {canCancel && (
                <td>
                  {(d.status === "queued" || d.status === "running") && (
                    <ConfirmButton label={`Cancel #${d.id}`} danger title={`Cancel deployment #${d.id}?`} confirm="Cancel it" act={async () => { await call("cancelDeployment", { path: { id: d.id } }); reload(); }}>
                      <p>{d.status === "queued" ? "It has not started: it is dropped at once." : "It stops before its switch, its new release is taken down; the live release keeps serving. After its switch it finishes."}</p>
                    </ConfirmButton>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EnvironmentPage({ project, environment }: { project: string; environment: string }) {
  const where = { path: { project, environment } };
  const status = usePoll(() => call("getEnvironment", where), [project, environment], 3000);
  const deployments = usePoll(() => call("listDeployments", { ...where, query: { limit: 10 } }), [project, environment], 3000);
  const canDeploy = useCan("deployer");
  const s = status.data;
  const urls = urlsOf(s?.routes ?? []);
  return (
    <section>
      <EnvironmentHeader project={project} environment={environment} tab="overview" />
      <Problem error={status.error ?? deployments.error} />
      {s && (
        <>
          <p class="live" data-testid="live">
            {s.live ? (
              <>
                Live: <strong>v{s.live.number}</strong>
                {s.live.release !== `v${s.live.number}` && <span> (on {s.live.release}'s containers)</span>} <span class="muted">since {age(s.live.createdAt)}</span>
              </>
            ) : (
              "Nothing is live yet."
            )}
          </p>
          {urls.length > 0 && (
            <ul class="urls">
              {urls.map((u) => (
                <li key={u}>
                  <a href={u}>{u}</a>
                </li>
              ))}
            </ul>
          )}
          {s.drift.length > 0 && (
            <ul class="drift" aria-label="Drift">
              {s.drift.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          <Containers containers={s.containers} />
        </>
      )}
      {canDeploy && <EnvironmentActions project={project} environment={environment} version={s?.live?.number ?? 0} />}
      {deployments.data && <Deployments deployments={deployments.data} reload={deployments.reload} />}
    </section>
  );
}
