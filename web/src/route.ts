/** The page a location's hash names: `#/`, `#/p/shop/live`, `#/d/12`, … */
import { useEffect, useState } from "preact/hooks";

export type Tab = "overview" | "releases" | "variables" | "accessories";

export type Route =
  | { page: "signin"; back?: string }
  | { page: "projects" }
  | { page: "environment"; project: string; environment: string; tab: Tab }
  | { page: "deployment"; id: number }
  | { page: "webhooks"; project: string }
  | { page: "router" }
  | { page: "audit" }
  | { page: "tokens" }
  | { page: "missing" };

const TABS: readonly Tab[] = ["overview", "releases", "variables", "accessories"];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [first, a, b, c] = parts;
  if (first === undefined) return { page: "projects" };
  if (first === "signin") return { page: "signin" };
  if (first === "p" && a && b) {
    const tab = (c ?? "overview") as Tab;
    return TABS.includes(tab) ? { page: "environment", project: a, environment: b, tab } : { page: "missing" };
  }
  if (first === "d" && a && /^\d+$/.test(a)) return { page: "deployment", id: Number(a) };
  if (first === "w" && a && b === undefined) return { page: "webhooks", project: a };
  if (first === "router" || first === "audit" || first === "tokens") return { page: first };
  return { page: "missing" };
}

export const hrefs = {
  projects: "#/",
  environment: (project: string, environment: string, tab: Tab = "overview") => `#/p/${encodeURIComponent(project)}/${encodeURIComponent(environment)}${tab === "overview" ? "" : `/${tab}`}`,
  deployment: (id: number) => `#/d/${id}`,
  webhooks: (project: string) => `#/w/${encodeURIComponent(project)}`,
  signin: "#/signin",
};

export function navigate(href: string): void {
  window.location.hash = href.slice(1);
}

export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = (): void => setHash(window.location.hash);
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return parseRoute(hash);
}
