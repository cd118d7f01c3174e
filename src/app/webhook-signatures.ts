/**
 * Who sent a webhook and whether it is theirs: each provider's headers and signature scheme.
 * Checked against the raw body before it is parsed; every comparison in constant time.
 *  - GitHub: X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256: sha256=<hex HMAC-SHA256>.
 *  - Gitea and Forgejo: X-Gitea-Event (X-Forgejo-Event), X-Gitea-Delivery, X-Gitea-Signature:
 *    <hex HMAC-SHA256> (Forgejo also sends X-Forgejo-Signature, the same value).
 *  - GitLab: X-Gitlab-Event, X-Gitlab-Token: <the secret itself>, Idempotency-Key or
 *    X-Gitlab-Event-UUID as the delivery's id.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type Provider = "github" | "gitea" | "gitlab";

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface Sender {
  readonly provider: Provider;
  readonly event: string;
  /** The provider's id of this delivery (the same when it redelivers). */
  readonly delivery: string | undefined;
}

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** The provider whose headers these are; Gitea's first, since Gitea sends GitHub's event headers too. */
export function identifySender(headers: Headers): Sender | undefined {
  const gitea = header(headers, "x-gitea-event") ?? header(headers, "x-forgejo-event");
  if (gitea !== undefined) return { provider: "gitea", event: gitea, delivery: header(headers, "x-gitea-delivery") ?? header(headers, "x-forgejo-delivery") };
  const github = header(headers, "x-github-event");
  if (github !== undefined) return { provider: "github", event: github, delivery: header(headers, "x-github-delivery") };
  const gitlab = header(headers, "x-gitlab-event");
  if (gitlab !== undefined) return { provider: "gitlab", event: gitlab, delivery: header(headers, "idempotency-key") ?? header(headers, "x-gitlab-event-uuid") };
  return undefined;
}

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Lengths compared first: timingSafeEqual needs equal lengths, and a length says nothing of the secret.
  return left.length === right.length && timingSafeEqual(left, right);
};

export const hmacHex = (secret: string, body: Buffer | string): string => createHmac("sha256", secret).update(body).digest("hex");

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: "missing signature" | "bad signature" };

export function verifySignature(provider: Provider, headers: Headers, body: Buffer, secret: string): Verdict {
  if (provider === "gitlab") {
    const token = header(headers, "x-gitlab-token");
    if (token === undefined) return { ok: false, reason: "missing signature" };
    return sameText(token, secret) ? { ok: true } : { ok: false, reason: "bad signature" };
  }
  const given = provider === "github" ? header(headers, "x-hub-signature-256") : (header(headers, "x-gitea-signature") ?? header(headers, "x-forgejo-signature"));
  if (given === undefined) return { ok: false, reason: "missing signature" };
  const expected = provider === "github" ? `sha256=${hmacHex(secret, body)}` : hmacHex(secret, body);
  return sameText(given.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: "bad signature" };
}
