/**
 * The API's shapes, once: these zod schemas validate every request (unknown fields rejected),
 * check every response, and are what the OpenAPI document is generated from.
 */
import { z } from "zod";

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "letters, digits, dots, dashes and underscores");

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe("Slipway's error code, such as E_NOT_FOUND"),
    hint: z.record(z.string(), z.unknown()).optional(),
    details: z.array(z.string()).readonly().optional(),
  })
  .meta({ id: "Problem" });

export const ProjectParams = z.strictObject({ project: name });
export const EnvironmentParams = z.strictObject({ project: name, environment: name });
export const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const VariableParams = z.strictObject({ project: name, environment: name, variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) });
export const Limit = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const Project = z
  .object({
    name: z.string(),
    path: z.string(),
    settings: z.object({ cache: z.boolean().optional() }),
    environments: z.array(z.string()).readonly(),
    git: z.object({ url: z.string(), branch: z.string().optional() }).optional().describe("where a project deployed from a git URL comes from (its URL without user info)"),
  })
  .meta({ id: "Project" });

export const WebhookAddress = z
  .object({
    path: z.string().describe("where the provider sends the project's webhooks, on this server"),
    url: z.string().optional().describe("the whole URL, when SLIPWAY_PUBLIC_URL says where this server is reached"),
    secret: z.string().describe("the webhook secret: shown this once"),
  })
  .meta({ id: "WebhookAddress" });

export const RegisteredProject = Project.extend({
  webhook: WebhookAddress.optional(),
  publicKey: z.string().optional().describe("the deploy key Slipway made for an SSH URL: add it to the repository (read access)"),
  fetchError: z.string().optional().describe("why the first fetch failed, when the project was kept anyway (its deploy key is not added yet)"),
}).meta({ id: "RegisteredProject" });

export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    provider: z.string(),
    event: z.string(),
    delivery: z.string().describe("the provider's id of the delivery"),
    status: z.number().int().describe("the HTTP status it was answered with"),
    verdict: z.string().describe("what came of it, or why nothing did"),
    deployments: z.array(z.number().int()).readonly(),
    receivedAt: z.date(),
  })
  .meta({ id: "WebhookDelivery" });

export const WebhookReceipt = z.object({ verdict: z.string(), deployments: z.array(z.number().int()).readonly() }).meta({ id: "WebhookReceipt" });

export const RegisterProject = z
  .strictObject({
    name,
    path: z.string().min(1).max(4096).optional().describe("the absolute path of a checkout on this host (or give git)"),
    git: z.string().min(1).max(4096).optional().describe("a URL git can fetch (https, ssh, a local path): the server keeps a mirror and deploys each commit from it"),
    branch: z.string().min(1).max(255).optional().describe("with git: the branch deployed when an environment names none (default: the remote's HEAD)"),
    token: z.string().min(1).max(4096).optional().describe("with an https git URL: an access token to fetch with (stored encrypted)"),
    tokenUser: z.string().min(1).max(255).optional().describe("the user name the token goes with (default x-access-token; GitLab: oauth2)"),
    settings: z.strictObject({ cache: z.boolean().optional().describe("build with Docker's layer cache (server builds have none by default)") }).optional(),
  })
  .refine((body) => (body.path === undefined) !== (body.git === undefined), { message: "give either path (a checkout on this host) or git (a URL)" });

export const Deployment = z
  .object({
    id: z.number().int(),
    project: z.string(),
    environment: z.string(),
    kind: z.string(),
    ref: z.string(),
    commit: z.string().optional(),
    actor: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled", "interrupted", "superseded"]),
    error: z.string().optional(),
    queuedAt: z.date(),
    runningAt: z.date().optional(),
    finishedAt: z.date().optional(),
    cancelRequested: z.boolean(),
  })
  .meta({ id: "Deployment" });

export const Step = z.object({
  name: z.string(),
  status: z.enum(["running", "succeeded", "failed", "skipped", "interrupted"]),
  startedAt: z.date(),
  finishedAt: z.date().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
});

export const DeploymentDetail = Deployment.extend({ steps: z.array(Step).readonly(), commitUrl: z.string().optional().describe("the commit's page on the project's git host, when its remote names one") }).meta({ id: "DeploymentDetail" });

export const DeployBody = z
  .strictObject({
    ref: z.string().min(1).max(255).optional().describe("commit, branch or tag (default: the environment's branch, else HEAD)"),
    buildMode: z.enum(["auto", "reuse", "force"]).optional(),
    noCache: z.boolean().optional().describe("build without Docker's layer cache (the server's default, unless the project's settings say cache: true)"),
  })
  .default({});

export const RollbackBody = z.strictObject({ release: z.string().regex(/^v\d+$/).optional().describe("such as v5 (default: the release before the live one)") }).default({});
export const PromotionBody = z.strictObject({ project: name, from: name, to: name });

export const CancelResult = z.object({ outcome: z.enum(["cancelled", "requested", "finished"]), deployment: Deployment });

export const Release = z.object({
  number: z.number().int(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  commit: z.string(),
  tag: z.string(),
  images: z.record(z.string(), z.object({ image: z.string(), id: z.string() })),
  createdAt: z.date(),
  variablesVersion: z.number().int().nullable(),
  variablesChanged: z.boolean().describe("its containers got other variables than the release before it"),
  deployment: z.object({ id: z.number().int(), actor: z.string(), status: z.string() }).optional(),
  rollbackable: z.enum(["yes", "no", "no (pruned)", "-"]).optional().describe("with ?rollbackable=true: whether a rollback to it can run now (- for the live one)"),
});
export const ReleasesQuery = z.strictObject({ rollbackable: z.enum(["true", "false"]).default("false"), limit: z.coerce.number().int().min(1).max(100_000).optional() });

export const EnvironmentOverview = z
  .object({
    project: z.string(),
    environment: z.string(),
    live: z.object({ release: z.string(), number: z.number().int(), kind: z.string(), commit: z.string(), createdAt: z.date(), actor: z.string().optional() }).nullable(),
    latest: z
      .object({
        id: z.number().int(),
        kind: z.string(),
        ref: z.string(),
        status: Deployment.shape.status,
        step: z.string().optional().describe("the step a running deployment is at"),
        queuedAt: z.date(),
        error: z.string().optional(),
      })
      .nullable(),
    routes: z.array(z.object({ listen: z.number().int(), hosts: z.array(z.string()).readonly() })).readonly(),
  })
  .meta({ id: "EnvironmentOverview" });

const Container = z.object({
  name: z.string(),
  release: z.string().optional(),
  service: z.string().optional(),
  status: z.string(),
  health: z.string().optional(),
  exitCode: z.number(),
  restartCount: z.number(),
  ports: z.array(z.object({ containerPort: z.number(), hostIp: z.string(), hostPort: z.number() })).readonly(),
});

export const EnvironmentStatus = z
  .object({
    project: z.string(),
    environment: z.string(),
    live: z.object({ release: z.string(), number: z.number().int(), createdAt: z.date() }).nullable(),
    containers: z.array(Container).readonly(),
    routes: z.array(
      z.object({
        backend: z.string(),
        listen: z.number(),
        hosts: z.array(z.string()).readonly(),
        serving: z.array(z.object({ name: z.string(), address: z.string(), state: z.string(), sessions: z.number() })).readonly().optional(),
      }),
    ),
    interrupted: z.array(z.object({ id: z.number().int(), kind: z.string(), ref: z.string(), error: z.string().optional() })).readonly(),
    drift: z.array(z.string()).readonly(),
  })
  .meta({ id: "EnvironmentStatus" });

export const Variables = z.object({
  environment: z.string(),
  version: z.number().int().nullable(),
  variables: z.record(z.string(), z.string().nullable()).describe("name → value; null unless revealed"),
});
export const RevealQuery = z.strictObject({ reveal: z.enum(["true", "false"]).default("false") });
export const SetVariable = z.strictObject({ value: z.string().max(65536) });
export const VariableChange = z.object({ environment: z.string(), version: z.number().int().nullable(), set: z.array(z.string()).readonly(), unset: z.array(z.string()).readonly() });

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.date(),
  actor: z.string(),
  action: z.string(),
  project: z.string().optional(),
  environment: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});
export const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().positive().optional() });

const role = z.enum(["viewer", "deployer", "admin"]);
export const Token = z.object({
  id: z.number().int(),
  role,
  project: z.string().optional(),
  description: z.string(),
  createdAt: z.date(),
  expiresAt: z.date().optional(),
  revokedAt: z.date().optional(),
});
export const CreateToken = z.strictObject({
  role,
  project: name.optional(),
  expires: z.string().regex(/^\d+[smhdw]$/).optional().describe("such as 30d; none: until revoked"),
  description: z.string().min(1).max(200).optional(),
});
export const CreatedToken = z.object({ id: z.number().int(), token: z.string().describe("shown once"), expiresAt: z.date().optional() });

export const User = z.object({ id: z.number().int(), name: z.string(), role, createdAt: z.date() });
export const CreateUser = z.strictObject({ name, role, password: z.string().min(12).max(1024).optional().describe("none: one is generated and returned once") });
export const CreatedUser = z.object({ id: z.number().int(), name: z.string(), role, generatedPassword: z.string().optional() });

export const Login = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export const Session = z.object({
  actor: z.string(),
  role,
  expiresAt: z.date().optional(),
  csrf: z.string().optional().describe("with a session cookie: the token that changes made with it carry in the X-Slipway-CSRF header"),
});
export const Health = z.object({ status: z.literal("ok") });

export const NotificationParams = z.strictObject({ project: name, id: z.coerce.number().int().positive() });
export const NotificationTarget = z
  .object({ id: z.number().int(), url: z.string(), actor: z.string(), createdAt: z.date() })
  .meta({ id: "NotificationTarget" });
export const AddNotificationTarget = z.strictObject({ url: z.string().min(1).max(2048).describe("http:// or https://: receives a signed JSON event when a deployment of the project ends") });
export const AddedNotificationTarget = NotificationTarget.extend({
  secret: z.string().describe("shown once: the key of the X-Slipway-Signature HMAC-SHA256 of each delivery's body"),
});
export const NotificationAttempt = z.object({
  targetId: z.number().int(),
  url: z.string(),
  deploymentId: z.number().int(),
  delivery: z.string().describe("the X-Slipway-Delivery id: the same on each attempt of one event"),
  event: z.string(),
  attempt: z.number().int(),
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number(),
  at: z.date(),
});

const provider = z.enum(["github", "gitlab", "gitea"]);
export const StatusTarget = z.object({ provider, repository: z.string(), apiUrl: z.string(), actor: z.string(), createdAt: z.date() }).meta({ id: "StatusTarget" });
export const SetStatusTarget = z.strictObject({
  provider,
  repository: z.string().min(1).max(255).describe("OWNER/NAME; GitLab: the project's path or numeric id"),
  api: z.string().max(2048).optional().describe("the API's base URL (default: https://api.github.com, https://gitlab.com/api/v4; Gitea needs one)"),
  token: z.string().min(1).max(4096).describe("the provider's API token: stored encrypted, never shown again"),
});
export const StatusReport = z.object({
  deploymentId: z.number().int(),
  provider,
  state: z.string(),
  attempt: z.number().int(),
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  durationMs: z.number(),
  at: z.date(),
});
export const StatusTargetAndReports = z.object({ target: StatusTarget.nullable(), reports: z.array(StatusReport).readonly() });
