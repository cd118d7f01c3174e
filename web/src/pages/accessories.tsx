/** An environment's accessories (databases, caches): their containers, state and health. */
import { call } from "../api/client";
import { usePoll } from "../hooks";
import { EnvironmentHeader } from "../ui/env-header";
import { Problem, State } from "../ui/state";

export function AccessoriesPage({ project, environment }: { project: string; environment: string }) {
  const status = usePoll(() => call("getEnvironment", { path: { project, environment } }), [project, environment], 5000);
  const accessories = (status.data?.containers ?? []).filter((c) => c.release === "accessories");
  return (
    <section>
      <EnvironmentHeader project={project} environment={environment} tab="accessories" />
      <Problem error={status.error} />
      {status.data && accessories.length === 0 && <p>No accessory runs for {environment}.</p>}
      {accessories.length > 0 && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>Accessories</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Container</th>
                <th scope="col">State</th>
                <th scope="col">Health</th>
                <th scope="col">Restarts</th>
              </tr>
            </thead>
            <tbody>
              {accessories.map((c) => (
                <tr key={c.name}>
                  <td>{c.service}</td>
                  <td>{c.name}</td>
                  <td>
                    <State status={c.status} />
                  </td>
                  <td>{c.health ?? "-"}</td>
                  <td>{c.restartCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
