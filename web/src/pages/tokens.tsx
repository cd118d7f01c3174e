/** API tokens: listed (never their text), created (the text shown once, here), revoked. */
import { useState } from "preact/hooks";
import { call, type Result } from "../api/client";
import { when } from "../format";
import { usePoll } from "../hooks";
import { useCan } from "../session";
import { ConfirmButton } from "../ui/confirm";
import { Problem } from "../ui/state";

type Role = Result<"listTokens">[number]["role"];

function CreateForm({ created }: { created: () => void }) {
  const [role, setRole] = useState<Role>("viewer");
  const [project, setProject] = useState("");
  const [expires, setExpires] = useState("30d");
  const [description, setDescription] = useState("");
  const [text, setText] = useState<string | undefined>(undefined);
  return (
    <form class="action" onSubmit={(e) => e.preventDefault()}>
      <h2>Create a token</h2>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="viewer">viewer</option>
          <option value="deployer">deployer</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <label>
        Project (none: every project)
        <input name="project" value={project} onInput={(e) => setProject(e.currentTarget.value)} />
      </label>
      <label>
        Expires after (such as 30d; empty: never)
        <input name="expires" value={expires} pattern="\d+[smhdw]" onInput={(e) => setExpires(e.currentTarget.value)} />
      </label>
      <label>
        Description
        <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <ConfirmButton
        label="Create token"
        title="Create a token?"
        confirm="Create"
        act={async () => {
          const made = await call("createToken", { body: { role, ...(project ? { project } : {}), ...(expires ? { expires } : {}), ...(description ? { description } : {}) } });
          setText(made.token);
          created();
        }}
      >
        <p>
          A {role} token{project ? ` for ${project} only` : ""}
          {expires ? `, valid for ${expires}` : ", valid until revoked"}. Its text is shown once.
        </p>
      </ConfirmButton>
      {text && (
        <p class="once" role="status">
          The token, shown this once: <code>{text}</code>
        </p>
      )}
    </form>
  );
}

export function TokensPage() {
  const admin = useCan("admin");
  const tokens = usePoll(() => (admin ? call("listTokens") : Promise.resolve([])), [admin]);
  if (!admin) return <p>Only an admin manages tokens.</p>;
  return (
    <section>
      <h1>API tokens</h1>
      <Problem error={tokens.error} />
      <CreateForm created={tokens.reload} />
      {tokens.data && (
        <div class="scroll" tabIndex={0}>
          <table>
            <caption>Tokens</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Role</th>
                <th scope="col">Project</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.id}</td>
                  <td>{t.role}</td>
                  <td>{t.project ?? "all"}</td>
                  <td>{t.description}</td>
                  <td>{when(t.createdAt)}</td>
                  <td>{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                  <td>
                    {t.revokedAt ? (
                      `revoked ${when(t.revokedAt)}`
                    ) : (
                      <ConfirmButton label={`Revoke token ${t.id}`} danger title={`Revoke token ${t.id}?`} confirm="Revoke" act={async () => { await call("revokeToken", { path: { id: t.id } }); tokens.reload(); }}>
                        <p>Every call made with it is refused from now on (within a second on other servers).</p>
                      </ConfirmButton>
                    )}
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
