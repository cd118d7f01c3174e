/**
 * Webhooks from git providers: public (the provider has no token), and answered only after the
 * application layer checked the signature of the raw body, which this route keeps as bytes.
 */
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { receiveWebhook } from "../../app/index.js";
import type { ServerContext, ZodServer } from "../context.js";
import { ERRORS, access, describe } from "../describe.js";
import { ProjectParams, WebhookReceipt } from "../schemas.js";

/** GitHub's own limit for a payload is 25 MB; pushes of many commits come near a few. */
const HOOK_BODY_LIMIT = 25 * 1024 * 1024;

export async function hookRoutes(server: ZodServer, { app, worker }: ServerContext): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify takes an async plugin (or a callback) for a scope of its own
  await server.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // The body as it came: the signature is over these bytes, not over a parse of them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: HOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post(
      "/hooks/:project",
      {
        config: access("public"),
        bodyLimit: HOOK_BODY_LIMIT,
        schema: {
          ...describe("public", "receiveWebhook", "a GitHub, GitLab, Gitea or Forgejo webhook: verified (X-Hub-Signature-256, X-Gitea-Signature, X-Gitlab-Token) before anything else, recorded with its verdict; a push to an environment's branch (or tags) queues a deployment of that commit", "webhooks"),
          params: ProjectParams,
          response: { 200: WebhookReceipt, 202: WebhookReceipt, 400: WebhookReceipt, 401: WebhookReceipt, 404: WebhookReceipt, 422: WebhookReceipt, 502: WebhookReceipt, 503: ERRORS[503] },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const contentType = request.headers["content-type"];
        const receipt = await receiveWebhook(app, { project: request.params.project, headers: request.headers, body, ...(contentType ? { contentType } : {}) });
        if (receipt.deployments.length > 0) worker?.wake();
        return reply.code(receipt.status as 200).send({ verdict: receipt.verdict, deployments: receipt.deployments } satisfies z.input<typeof WebhookReceipt>);
      },
    );
  });
}
