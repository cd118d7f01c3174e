/** A project's source and its webhook deliveries: what each did, or why it did nothing. */
import { call } from "../api/client";
import { when } from "../format";
import { usePoll } from "../hooks";
import { hrefs } from "../route";
import { Problem } from "../ui/state";

export function WebhooksPage({ project }: { project: string }) {
  const info = usePoll(() => call("getProject", { path: { project } }), [project], 30_000);
  const deliveries = usePoll(() => call("listWebhookDeliveries", { path: { project }, query: { limit: 100 } }), [project], 5000);
  const git = info.data?.git;
  return (
    <section>
      <h1>Webhooks of {project}</h1>
      <Problem error={info.error ?? deliveries.error} />
      {info.data && !git && <p>{project} is a checkout on this host ({info.data.path}): it takes no webhooks. Register a project by its git URL to deploy on push.</p>}
      {git && (
        <dl class="facts">
          <dt>Repository</dt>
          <dd>
            <code>{git.url}</code>
            {git.branch ? ` (branch ${git.branch})` : ""}
          </dd>
          <dt>Webhook</dt>
          <dd>
            <code>POST {`${window.location.origin}/hooks/${project}`}</code>, content type application/json, with the secret shown when the project was registered (<code>slipway webhooks rotate {project}</code> makes a new one)
          </dd>
        </dl>
      )}
      {deliveries.data && deliveries.data.length === 0 && git && <p>No delivery yet.</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>The last 100 deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">Event</th>
                <th scope="col">Answer</th>
                <th scope="col">Verdict</th>
                <th scope="col">Deployments</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id} data-delivery={d.delivery}>
                  <td>{when(d.receivedAt)}</td>
                  <td>{d.provider}</td>
                  <td>
                    <code>{d.event}</code>
                  </td>
                  <td>{d.status}</td>
                  <td>{d.verdict}</td>
                  <td>
                    {d.deployments.map((id) => (
                      <a key={id} href={hrefs.deployment(id)}>
                        #{id}{" "}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
