/** An environment's releases: commit, kind, who, when, outcome, variables version and change. */
import { call } from "../api/client";
import { age, short, when } from "../format";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { EnvironmentHeader } from "../ui/env-header";
import { Problem, State } from "../ui/state";

export function ReleasesPage({ project, environment }: { project: string; environment: string }) {
  const releases = usePoll(() => call("listReleases", { path: { project, environment }, query: { rollbackable: "true" } }), [project, environment], 5000);
  return (
    <section>
      <EnvironmentHeader project={project} environment={environment} tab="releases" />
      <Problem error={releases.error} />
      {releases.data && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>Releases, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col">Commit</th>
                <th scope="col">Kind</th>
                <th scope="col">Who</th>
                <th scope="col">When</th>
                <th scope="col">Outcome</th>
                <th scope="col">Variables</th>
                <th scope="col">Roll back?</th>
              </tr>
            </thead>
            <tbody>
              {releases.data.map((r) => (
                <tr key={r.name}>
                  <td>
                    <strong>{r.name}</strong>
                  </td>
                  <td>
                    <code>{short(r.commit)}</code>
                  </td>
                  <td>{r.kind}</td>
                  <td>{r.deployment?.actor ?? "-"}</td>
                  <td title={when(r.createdAt)}>{age(r.createdAt)}</td>
                  <td>
                    <State status={r.status} /> {r.deployment && <a href={hrefs.deployment(r.deployment.id)}>#{r.deployment.id}</a>}
                  </td>
                  <td>
                    {r.variablesVersion === null ? "none" : `version ${r.variablesVersion}`}
                    {r.variablesChanged && <strong> (changed)</strong>}
                  </td>
                  <td>{r.rollbackable ?? "-"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {releases.data?.length === 0 && <p>No release yet.</p>}
    </section>
  );
}
