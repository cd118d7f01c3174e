/**
 * A web address of a commit, from the project's git remote: what GitHub, GitLab, Gitea and
 * Forgejo all answer at <repository>/commit/<sha>. SSH and HTTPS remotes both map to https;
 * credentials in the remote never come through. A local path or file:// remote has none.
 */
const SCP_LIKE = /^(?:[\w.-]+@)?([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/;

export function commitLink(remote: string | undefined, commit: string): string | undefined {
  if (!remote || !/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
  const scp = SCP_LIKE.exec(remote);
  if (scp && !remote.includes("://")) return `https://${scp[1]}/${scp[2]}/commit/${commit}`;
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    return undefined;
  }
  if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol) || url.hostname === "") return undefined;
  const path = url.pathname.replace(/\.git\/?$/, "").replace(/\/$/, "");
  if (path === "" || path === "/") return undefined;
  // An ssh port is not the web server's; an http(s) one is.
  const port = (url.protocol === "https:" || url.protocol === "http:") && url.port ? `:${url.port}` : "";
  return `https://${url.hostname}${port}${path}/commit/${commit}`;
}
