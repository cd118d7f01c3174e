/**
 * The tables as Kysely sees them: snake_case columns, exactly as stored.
 *
 * Timestamps are ISO 8601 text in UTC (`Date.prototype.toISOString`), not integer milliseconds:
 * milliseconds since 1970 overflow Postgres's `integer`, and its `bigint` comes back from `pg` as
 * a string, so integers would need a per-dialect type and a per-driver parser. Fixed-width ISO
 * text is portable as is, sorts in time order, and reads plainly in `sqlite3`.
 * JSON is text too, for the same reason (SQLite has no JSON type; Postgres accepts text).
 */
import type { Generated } from "kysely";

export type Timestamp = string;

export interface ProjectsTable {
  id: Generated<number>;
  name: string;
  dir: string;
  /** JSON: the server's settings of the project (see ProjectSettings); null for the defaults. */
  settings: string | null;
  /** JSON { url, branch? } of a project deployed from a git URL; null for a checkout on the host. */
  git: string | null;
  /** Sealed JSON: the webhook secret and the fetch credentials. */
  secrets: string | null;
}

export interface EnvironmentsTable {
  id: Generated<number>;
  project_id: number;
  name: string;
}

export interface BuildsTable {
  id: Generated<number>;
  project_id: number;
  commit: string;
  tag: string;
  build_key: string;
  /** JSON: service → { image, id }. */
  images: string;
  created_at: Timestamp;
}

export interface PushedImagesTable {
  build_id: number;
  service: string;
  /** `<registry>/<service>:<tag>` */
  reference: string;
  /** The local image pushed (a build made again under its key has another). */
  image_id: string;
  /** sha256:… as the registry gave it. */
  digest: string;
  pushed_at: Timestamp;
}

export interface ReleasesTable {
  id: Generated<number>;
  environment_id: number;
  number: number;
  build_id: number;
  kind: string;
  /** JSON: the plan snapshot, without the model (see `sealed`). */
  config: string;
  status: string;
  created_at: Timestamp;
  /** Sealed JSON: what a release holds that may carry secret values (its compose model). */
  sealed: string | null;
  /** JSON: which variables the release ran with: { version, digest }. */
  variables: string | null;
}

export interface VariableVersionsTable {
  id: Generated<number>;
  environment_id: number;
  version: number;
  actor: string;
  /** JSON: { set: [names], unset: [names] }. */
  changes: string;
  /** Sealed JSON: every variable of the environment at this version. */
  sealed: string;
  created_at: Timestamp;
}

export interface DeploymentsTable {
  id: Generated<number>;
  environment_id: number;
  release_id: number | null;
  kind: string;
  ref: string;
  commit: string | null;
  actor: string;
  status: string;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  pid: number | null;
  hostname: string | null;
  process_started: string | null;
  /** JSON: what was asked of the server's queue (see queue-repository.ts); null for the CLI's own runs. */
  request: string | null;
  running_at: Timestamp | null;
  cancel_requested_at: Timestamp | null;
}

export interface StepsTable {
  id: Generated<number>;
  deployment_id: number;
  name: string;
  status: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error: string | null;
}

export interface LogsTable {
  id: Generated<number>;
  deployment_id: number;
  step: string;
  stream: string;
  line: string;
  at: Timestamp;
}

export interface LocksTable {
  environment_id: number;
  deployment_id: number | null;
  holder: string;
  pid: number | null;
  hostname: string | null;
  acquired_at: Timestamp;
  process_started: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  role: string;
  password_hash: string;
  created_at: Timestamp;
}

export interface TokensTable {
  id: Generated<number>;
  /** SHA-256 of the token's text, hex: the text itself is never stored. */
  digest: string;
  kind: string;
  role: string;
  project: string | null;
  user_id: number | null;
  description: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  project: string | null;
  environment: string | null;
  /** JSON, never a secret value. */
  detail: string;
}

export interface DeploymentEventsTable {
  id: Generated<number>;
  deployment_id: number;
  type: string;
  /** JSON: the event, redacted as it was emitted. */
  data: string;
  at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  project: string;
  provider: string;
  event: string;
  /** The provider's id of the delivery. */
  delivery: string;
  /** project + provider + delivery, for verified deliveries only: unique. */
  dedupe: string | null;
  /** The HTTP status the delivery was answered with. */
  status: number;
  verdict: string;
  /** JSON: the ids of the deployments it queued. */
  deployments: string;
  received_at: Timestamp;
}

export interface NotificationTargetsTable {
  id: Generated<number>;
  project_id: number;
  url: string;
  /** Sealed: the HMAC key its deliveries are signed with, shown once when it was added. */
  secret: string;
  actor: string;
  created_at: Timestamp;
}

export interface NotificationAttemptsTable {
  id: Generated<number>;
  target_id: number;
  deployment_id: number;
  /** The id every attempt of one event carries (X-Slipway-Delivery). */
  delivery: string;
  event: string;
  attempt: number;
  /** The HTTP status answered; null when none came (the error says why). */
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  at: Timestamp;
}

export interface StatusTargetsTable {
  id: Generated<number>;
  project_id: number;
  provider: string;
  repository: string;
  api_url: string;
  /** Sealed: the provider's API token. */
  token: string;
  actor: string;
  created_at: Timestamp;
}

export interface StatusReportsTable {
  id: Generated<number>;
  project_id: number;
  deployment_id: number;
  provider: string;
  state: string;
  attempt: number;
  http_status: number | null;
  error: string | null;
  /** What the provider made of it, when later reports need it (a GitHub deployment's id). */
  external_id: string | null;
  duration_ms: number;
  at: Timestamp;
}

export interface Database {
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  builds: BuildsTable;
  pushed_images: PushedImagesTable;
  releases: ReleasesTable;
  deployments: DeploymentsTable;
  steps: StepsTable;
  logs: LogsTable;
  locks: LocksTable;
  variable_versions: VariableVersionsTable;
  users: UsersTable;
  tokens: TokensTable;
  audit: AuditTable;
  deployment_events: DeploymentEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notification_targets: NotificationTargetsTable;
  notification_attempts: NotificationAttemptsTable;
  status_targets: StatusTargetsTable;
  status_reports: StatusReportsTable;
}
