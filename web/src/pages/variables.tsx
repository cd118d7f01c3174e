/**
 * An environment's variables: names with masked values; an admin may reveal them (the server
 * audits it), set and unset. No value is in the page until an admin reveals it.
 */
import { useState } from "preact/hooks";
import { call } from "../api/client";
import { usePoll } from "../hooks";
import { useCan } from "../session";
import { ConfirmButton } from "../ui/confirm";
import { EnvironmentHeader } from "../ui/env-header";
import { Problem } from "../ui/state";

const MASK = "••••••••";

export function VariablesPage({ project, environment }: { project: string; environment: string }) {
  const admin = useCan("admin");
  const [revealed, setRevealed] = useState(false);
  const path = { project, environment };
  const list = usePoll(() => call("listVariables", { path, query: { reveal: revealed ? "true" : "false" } }), [project, environment, revealed]);
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const names = Object.keys(list.data?.variables ?? {}).sort();
  return (
    <section>
      <EnvironmentHeader project={project} environment={environment} tab="variables" />
      <Problem error={list.error} />
      {list.data && (
        <p class="muted">
          {list.data.version === null ? "No variable set yet." : `Version ${list.data.version}: changes reach the containers with the next deploy.`}
        </p>
      )}
      {admin && (
        <p>
          <button type="button" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
            {revealed ? "Hide values" : "Reveal values"}
          </button>{" "}
          <span class="muted">Revealing is recorded in the audit log.</span>
        </p>
      )}
      {names.length > 0 && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>Variables</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                {admin && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {names.map((n) => {
                const v = list.data?.variables[n];
                return (
                  <tr key={n} data-variable={n}>
                    <td>
                      <code>{n}</code>
                    </td>
                    <td>{typeof v === "string" ? <code class="value">{v}</code> : <span aria-label="hidden value">{MASK}</span>}</td>
                    {admin && (
                      <td>
                        <ConfirmButton label={`Unset ${n}`} danger title={`Unset ${n}?`} confirm="Unset" act={async () => { await call("unsetVariable", { path: { ...path, variable: n } }); list.reload(); }}>
                          <p>
                            {n} is removed from {environment} in a new version of its variables; the running containers keep it until the next deploy.
                          </p>
                        </ConfirmButton>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {admin && (
        <form class="action" onSubmit={(e) => e.preventDefault()}>
          <h2>Set a variable</h2>
          <label>
            Name
            <input name="name" value={name} pattern="[A-Za-z_][A-Za-z0-9_]*" autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Value
            <input name="value" type="password" value={value} autoComplete="off" onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <ConfirmButton label="Set" title={`Set ${name}?`} confirm="Set" disabled={!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)} act={async () => { await call("setVariable", { path: { ...path, variable: name }, body: { value } }); setName(""); setValue(""); list.reload(); }}>
            <p>
              {name} gets a new value in {environment} (a new version of its variables); it reaches the containers with the next deploy.
            </p>
          </ConfirmButton>
        </form>
      )}
    </section>
  );
}
