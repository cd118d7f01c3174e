/** Every page's frame: a skip link, the navigation, who is signed in, and the page itself. */
import type { ComponentChildren } from "preact";
import { hrefs, type Route } from "../route";
import type { SignedIn } from "../session";

interface Props {
  readonly route: Route;
  readonly session: SignedIn;
  readonly admin: boolean;
  readonly onSignOut: () => Promise<void>;
  readonly children: ComponentChildren;
}

export function Layout({ route, session, admin, onSignOut, children }: Props) {
  const current = (page: Route["page"]) => (route.page === page ? { "aria-current": "page" as const } : {});
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={hrefs.projects}>
          Slipway
        </a>
        <nav aria-label="Main">
          <a href={hrefs.projects} {...current("projects")}>Projects</a>
          <a href="#/router" {...current("router")}>Router</a>
          <a href="#/audit" {...current("audit")}>Audit</a>
          {admin && <a href="#/tokens" {...current("tokens")}>Tokens</a>}
        </nav>
        <div class="who">
          <span>
            {session.actor} <span class="role">({session.role})</span>
          </span>
          <button type="button" class="link" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
