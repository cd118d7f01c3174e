/** The router's state: every routed environment's backends, and the servers HAProxy has in each. */
import { call } from "../api/client";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { Problem, State } from "../ui/state";

async function routed() {
  const envs = (await call("overview")).filter((e) => e.routes.length > 0);
  return Promise.all(envs.map((e) => call("getEnvironment", { path: { project: e.project, environment: e.environment } })));
}

export function RouterPage() {
  const state = usePoll(routed, [], 5000);
  return (
    <section>
      <h1>Router</h1>
      <Problem error={state.error} />
      {state.data?.length === 0 && <p>No route yet: the first deploy of a routed service makes one.</p>}
      {state.data?.flatMap((env) =>
        env.routes.map((route) => (
          <div key={route.backend} class="backend">
            <h2>
              <a href={hrefs.environment(env.project, env.environment)}>{`${env.project} ${env.environment}`}</a> <span class="muted">{route.backend}</span>
            </h2>
            <p>
              Listens on {route.listen}
              {route.hosts.length > 0 && ` for ${route.hosts.join(", ")}`}
            </p>
            {route.serving === undefined ? (
              <p class="error">The router does not answer for this backend.</p>
            ) : (
              <div class="scroll" tabIndex={0}>
                <table>
                  <caption>{`Servers of ${route.backend}`}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Server</th>
                      <th scope="col">Address</th>
                      <th scope="col">State</th>
                      <th scope="col">Sessions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {route.serving.map((s) => (
                      <tr key={s.name}>
                        <td>{s.name}</td>
                        <td>{s.address}</td>
                        <td>
                          <State status={s.state} />
                        </td>
                        <td>{s.sessions}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )),
      )}
    </section>
  );
}
