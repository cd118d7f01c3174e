/** An environment's title and its tabs. */
import { hrefs, type Tab } from "../route";

const TABS: ReadonlyArray<[Tab, string]> = [
  ["overview", "Overview"],
  ["releases", "Releases"],
  ["variables", "Variables"],
  ["accessories", "Accessories"],
];

export function EnvironmentHeader({ project, environment, tab }: { project: string; environment: string; tab: Tab }) {
  return (
    <>
      <p class="crumbs">
        <a href={hrefs.projects}>Projects</a> / {project}
      </p>
      <h1>
        {project} <span class="muted">/</span> {environment}
      </h1>
      <nav class="tabs" aria-label="Environment">
        {TABS.map(([t, label]) => (
          <a key={t} href={hrefs.environment(project, environment, t)} {...(t === tab ? { "aria-current": "page" as const } : {})}>
            {label}
          </a>
        ))}
      </nav>
    </>
  );
}
