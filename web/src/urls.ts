/** Where an environment answers: its host names, else the router's port on this server's host. */
export function urlsOf(routes: ReadonlyArray<{ listen: number; hosts: readonly string[] }>, here = window.location.hostname): string[] {
  return routes.flatMap((r) => {
    const port = r.listen === 80 || r.listen === 0 ? "" : `:${r.listen}`;
    return r.hosts.length > 0 ? r.hosts.map((h) => `http://${h}${port}/`) : [`http://${here}${port}/`];
  });
}
