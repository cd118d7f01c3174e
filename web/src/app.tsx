/** The shell: who is signed in, the navigation, and the page the location names. */
import { useEffect, useState } from "preact/hooks";
import { call, setCsrf, whenSignedOut } from "./api/client";
import { AccessoriesPage } from "./pages/accessories";
import { AuditPage } from "./pages/audit";
import { WebhooksPage } from "./pages/webhooks";
import { DeploymentPage } from "./pages/deployment";
import { EnvironmentPage } from "./pages/environment";
import { ProjectsPage } from "./pages/projects";
import { ReleasesPage } from "./pages/releases";
import { RouterPage } from "./pages/router";
import { SignInPage } from "./pages/signin";
import { TokensPage } from "./pages/tokens";
import { VariablesPage } from "./pages/variables";
import { hrefs, navigate, useRoute, type Route } from "./route";
import { SessionContext, allows, type SignedIn } from "./session";
import { Layout } from "./ui/layout";

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "projects":
      return <ProjectsPage />;
    case "environment": {
      const where = { project: route.project, environment: route.environment };
      if (route.tab === "releases") return <ReleasesPage {...where} />;
      if (route.tab === "variables") return <VariablesPage {...where} />;
      if (route.tab === "accessories") return <AccessoriesPage {...where} />;
      return <EnvironmentPage {...where} />;
    }
    case "deployment":
      return <DeploymentPage id={route.id} />;
    case "webhooks":
      return <WebhooksPage project={route.project} />;
    case "router":
      return <RouterPage />;
    case "audit":
      return <AuditPage />;
    case "tokens":
      return <TokensPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page here. <a href={hrefs.projects}>Back to the projects</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<SignedIn | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrf(undefined);
      setSession(null);
    });
    call("whoami").then(
      (who) => {
        setCsrf(who.csrf);
        setSession({ actor: who.actor, role: who.role });
      },
      // Unless someone signed in while it was asked.
      () => setSession((known) => (known === undefined ? null : known)),
    );
  }, []);

  useEffect(() => {
    if (session === null && route.page !== "signin") navigate(hrefs.signin);
  }, [session, route.page]);

  useEffect(() => {
    const title = route.page === "environment" ? `${route.project} ${route.environment}` : route.page === "deployment" ? `deployment ${route.id}` : route.page;
    document.title = `${title} · Slipway`;
  }, [route]);

  if (session === undefined) return <p class="loading">Loading…</p>;
  if (session === null || route.page === "signin") {
    return (
      <SignInPage
        signedIn={(who) => {
          setSession(who);
          navigate(hrefs.projects);
        }}
      />
    );
  }

  const signOut = async (): Promise<void> => {
    await call("logout").catch(() => undefined);
    setCsrf(undefined);
    setSession(null);
  };
  return (
    <SessionContext.Provider value={session}>
      <Layout route={route} session={session} admin={allows(session.role, "admin")} onSignOut={signOut}>
        <Page route={route} />
      </Layout>
    </SessionContext.Provider>
  );
}
