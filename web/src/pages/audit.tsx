/** Who changed what, newest first. */
import { call } from "../api/client";
import { when } from "../format";
import { usePoll } from "../hooks";
import { Problem } from "../ui/state";

export function AuditPage() {
  const entries = usePoll(() => call("listAudit", { query: { limit: 100 } }), [], 10_000);
  return (
    <section>
      <h1>Audit log</h1>
      <Problem error={entries.error} />
      {entries.data && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>The last 100 changes</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Where</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{[e.project, e.environment].filter(Boolean).join(" ")}</td>
                  <td>
                    <code class="detail">{Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ""}</code>
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
