/** Deploy, roll back, promote: each asks first, saying what will happen; then shows the deployment. */
import { useState } from "preact/hooks";
import { call, type Result } from "../api/client";
import { short } from "../format";
import { usePoll } from "../hooks";
import { hrefs, navigate } from "../route";
import { ConfirmButton } from "../ui/confirm";

interface Where {
  readonly project: string;
  readonly environment: string;
}
type Release = Result<"listReleases">[number];
type BuildMode = "auto" | "reuse" | "force";

const followed = (d: { id: number }): void => navigate(hrefs.deployment(d.id));

function DeployForm({ project, environment }: Where) {
  const [ref, setRef] = useState("");
  const [buildMode, setBuildMode] = useState<BuildMode>("auto");
  const [noCache, setNoCache] = useState(true);
  return (
    <form class="action" onSubmit={(e) => e.preventDefault()}>
      <h3>Deploy</h3>
      <label>
        Ref (branch, tag or commit)
        <input name="ref" value={ref} placeholder="the environment's branch" onInput={(e) => setRef(e.currentTarget.value)} />
      </label>
      <label>
        Build
        <select name="buildMode" value={buildMode} onChange={(e) => setBuildMode(e.currentTarget.value as BuildMode)}>
          <option value="auto">re-use a build of the same commit, else build</option>
          <option value="reuse">re-use a build only</option>
          <option value="force">always build</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="noCache" checked={noCache} onChange={(e) => setNoCache(e.currentTarget.checked)} /> without Docker's layer cache
      </label>
      <ConfirmButton label="Deploy" title={`Deploy to ${environment}?`} confirm="Deploy" act={async () => followed(await call("createDeployment", { path: { project, environment }, body: { ...(ref.trim() ? { ref: ref.trim() } : {}), buildMode, noCache } }))}>
        <p>
          {ref.trim() ? <code>{ref.trim()}</code> : "The environment's branch"} becomes a new release of {project} {environment}:{" "}
          {buildMode === "reuse" ? "a build of that commit is re-used (none: the deployment fails)" : buildMode === "force" ? "built again" : "built unless a build of that commit exists"}
          {buildMode !== "reuse" && (noCache ? ", without layer cache" : ", with layer cache")}. The live release serves until the new one passes its checks.
        </p>
      </ConfirmButton>
    </form>
  );
}

function RollbackForm({ project, environment, releases }: Where & { releases: readonly Release[] }) {
  const candidates = releases.filter((r) => r.status !== "live");
  const first = candidates.find((r) => r.rollbackable === "yes");
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const target = candidates.find((r) => r.name === (chosen ?? first?.name));
  if (candidates.length === 0)
    return (
      <div class="action">
        <h3>Roll back</h3>
        <p class="muted">No earlier release to roll back to.</p>
      </div>
    );
  return (
    <form class="action" onSubmit={(e) => e.preventDefault()}>
      <h3>Roll back</h3>
      <label>
        To release
        <select name="release" value={target?.name ?? ""} onChange={(e) => setChosen(e.currentTarget.value)}>
          {candidates.map((r) => (
            <option key={r.name} value={r.name} disabled={r.rollbackable !== "yes"}>
              {r.name} · {short(r.commit)} · {r.kind}
              {r.rollbackable !== "yes" ? ` (cannot: ${r.rollbackable === "no (pruned)" ? "its images were pruned" : `it is ${r.status}`})` : ""}
            </option>
          ))}
        </select>
      </label>
      <ConfirmButton label="Roll back" danger title={`Roll back ${environment} to ${target?.name ?? ""}?`} confirm="Roll back" disabled={!target || target.rollbackable !== "yes"} act={async () => followed(await call("createRollback", { path: { project, environment }, body: target ? { release: target.name } : {} }))}>
        <p>
          A new release runs {target?.name}'s images (commit <code>{short(target?.commit)}</code>) and its configuration: nothing is rebuilt, the release task is skipped (the database is not rolled back).
        </p>
      </ConfirmButton>
    </form>
  );
}

function PromoteForm({ project, environment, live, others }: Where & { live: Release | undefined; others: readonly string[] }) {
  const [to, setTo] = useState<string | undefined>(undefined);
  const target = to ?? others[0];
  if (others.length === 0) return null;
  return (
    <form class="action" onSubmit={(e) => e.preventDefault()}>
      <h3>Promote</h3>
      <label>
        To environment
        <select name="to" value={target} onChange={(e) => setTo(e.currentTarget.value)}>
          {others.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <ConfirmButton label="Promote" title={`Promote ${environment} to ${target ?? ""}?`} confirm="Promote" disabled={!live || !target} act={async () => followed(await call("createPromotion", { body: { project, from: environment, to: target ?? "" } }))}>
        <p>
          {target} gets the build {environment} runs now, never rebuilt: {live?.name}, commit <code>{short(live?.commit)}</code>, with {target}'s own variables.
        </p>
        <ul>
          {Object.entries(live?.images ?? {}).map(([service, image]) => (
            <li key={service}>
              {service}: <code>{image.image}</code>
            </li>
          ))}
        </ul>
      </ConfirmButton>
    </form>
  );
}

export function EnvironmentActions({ project, environment, version }: Where & { version: number }) {
  const releases = usePoll(() => call("listReleases", { path: { project, environment }, query: { rollbackable: "true" } }), [project, environment, version]);
  const info = usePoll(() => call("getProject", { path: { project } }), [project]);
  const list = releases.data ?? [];
  return (
    <section class="actions" aria-label="Actions">
      <DeployForm project={project} environment={environment} />
      <RollbackForm project={project} environment={environment} releases={list} />
      <PromoteForm project={project} environment={environment} live={list.find((r) => r.status === "live")} others={(info.data?.environments ?? []).filter((e) => e !== environment)} />
    </section>
  );
}
