/** Remotes as git prints them, and the commit page each one gives (or none). */
import { describe, expect, it } from "vitest";
import { commitLink } from "./commit-link.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("commitLink", () => {
  it.each([
    { name: "GitHub over ssh (scp-like)", remote: "git@github.com:shop/web.git", link: `https://github.com/shop/web/commit/${SHA}` },
    { name: "GitHub over https", remote: "https://github.com/shop/web.git", link: `https://github.com/shop/web/commit/${SHA}` },
    { name: "a token in the remote never comes through", remote: "https://x-access-token:ghp_secret@github.com/shop/web.git", link: `https://github.com/shop/web/commit/${SHA}` },
    { name: "GitLab subgroups", remote: "git@gitlab.com:agency/clients/shop.git", link: `https://gitlab.com/agency/clients/shop/commit/${SHA}` },
    { name: "Gitea over ssh:// with a port", remote: "ssh://git@git.example.com:2222/shop/web.git", link: `https://git.example.com/shop/web/commit/${SHA}` },
    { name: "a self-hosted https port", remote: "https://git.example.com:8443/shop/web", link: `https://git.example.com:8443/shop/web/commit/${SHA}` },
    { name: "a local path", remote: "/srv/git/shop.git", link: undefined },
    { name: "file://", remote: "file:///srv/git/shop.git", link: undefined },
    { name: "no remote", remote: undefined, link: undefined },
  ])("$name", ({ remote, link }) => {
    expect(commitLink(remote, SHA)).toBe(link);
  });

  it("gives nothing for what is not a commit id", () => {
    expect(commitLink("git@github.com:shop/web.git", "main")).toBeUndefined();
  });
});
