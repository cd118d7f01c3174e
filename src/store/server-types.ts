/**
 * What the store keeps for `slipway serve`: the durable queue, every event of a deployment,
 * users and hashed tokens, the audit log. Plain rows; `Store` (types.ts) extends these.
 */

export type Role = "viewer" | "deployer" | "admin";
/** An API token made by `slipway tokens create`, or a session made by logging in. */
export type TokenKind = "api" | "session";

/** A deployment the queue hands to the process that claimed it, with what was asked. */
export interface ClaimedDeployment {
  readonly id: number;
  readonly environmentId: number;
  readonly kind: string;
  readonly ref: string;
  readonly actor: string;
  /** The request as enqueued (JSON), for the application layer to read back. */
  readonly request: unknown;
}

/** Where a deployment belongs: for scope checks and for messages. */
export interface DeploymentPlace {
  readonly projectId: number;
  readonly project: string;
  readonly environment: string;
  readonly dir: string;
}

/** What a cancellation did: at once (it was waiting), asked of its runner, or nothing (over). */
export type CancelOutcome = "cancelled" | "requested" | "finished";

export interface QueueMethods {
  /**
   * Records a deployment `queued` with its request, owned by no process until claimed; in the
   * same transaction every older request of the environment still waiting becomes `superseded`.
   */
  enqueueDeployment(d: { environmentId: number; kind: string; ref: string; actor: string; request: unknown }): Promise<{ id: number; superseded: number[] }>;
  /**
   * Takes the oldest waiting request of an environment where nothing runs or is claimed, for
   * this process: a conditional update, so two processes never claim one request.
   */
  claimDeployment(): Promise<ClaimedDeployment | undefined>;
  /** Cancels a waiting request at once; marks a claimed or running one for its runner to stop. */
  requestCancel(deploymentId: number): Promise<CancelOutcome | undefined>;
  /** Of these deployments, those whose cancellation was asked. */
  cancelRequested(deploymentIds: readonly number[]): Promise<number[]>;
  /** Environments with a deployment left queued or running by a process that no longer runs. */
  orphanedEnvironments(): Promise<number[]>;
  deploymentPlace(deploymentId: number): Promise<DeploymentPlace | undefined>;
  environmentPlace(environmentId: number): Promise<DeploymentPlace | undefined>;
  /** How many deployments each status holds, and how long finished ones ran (seconds). */
  deploymentStats(): Promise<{ byStatus: Record<string, number>; durations: Array<{ status: string; seconds: number }> }>;
}

export interface StoredEvent {
  readonly id: number;
  readonly deploymentId: number;
  readonly type: string;
  /** The event as JSON text. */
  readonly json: string;
  readonly at: Date;
}

export interface EventMethods {
  /** One batched insert; events of one deployment keep their order (ids grow). */
  appendEvents(events: ReadonlyArray<{ deploymentId: number; type: string; json: string }>): Promise<void>;
  /** A deployment's events after `afterId`, oldest first, at most `limit`. */
  events(deploymentId: number, afterId: number, limit: number): Promise<StoredEvent[]>;
}

export interface UserRow {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

export interface TokenRow {
  readonly id: number;
  readonly kind: TokenKind;
  readonly role: Role;
  readonly project?: string;
  readonly userId?: number;
  /** The user's name, for a session. */
  readonly userName?: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly revokedAt?: Date;
}

export interface AuthMethods {
  /** Throws E_EXISTS when the name is taken. */
  createUser(u: { name: string; role: Role; passwordHash: string }): Promise<number>;
  user(name: string): Promise<UserRow | undefined>;
  users(): Promise<Array<Omit<UserRow, "passwordHash">>>;
  createToken(t: { digest: string; kind: TokenKind; role: Role; project?: string; userId?: number; description: string; expiresAt?: Date }): Promise<number>;
  /** The token of this digest, whatever its state: the caller checks expiry and revocation. */
  tokenByDigest(digest: string): Promise<TokenRow | undefined>;
  /** API tokens (not sessions), newest first. */
  tokens(): Promise<TokenRow[]>;
  /** True when it was live and is now revoked. */
  revokeToken(id: number): Promise<boolean>;
  revokeDigest(digest: string): Promise<void>;
}

export interface AuditRow {
  readonly id: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly project?: string;
  readonly environment?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditMethods {
  audit(entry: Omit<AuditRow, "id" | "at">): Promise<void>;
  /** Newest first; only one project's entries when `project` is given. */
  auditLog(options: { project?: string; limit: number; before?: number }): Promise<AuditRow[]>;
}

/** What the server does differently for a project: its builds use Docker's layer cache only when `cache`. */
export interface ProjectSettings {
  readonly cache?: boolean;
}

/** Where a project deployed from a git URL comes from; its checkouts are made from a mirror of it. */
export interface ProjectGit {
  readonly url: string;
  /** The branch deployed when an environment names none (default: the remote's HEAD). */
  readonly branch?: string;
}

export interface ProjectListRow {
  readonly id: number;
  readonly name: string;
  readonly dir: string;
  readonly settings: ProjectSettings;
  readonly environments: readonly string[];
  readonly git?: ProjectGit;
}

/** One webhook delivery as received, and what came of it. */
export interface WebhookDeliveryRow {
  readonly id: number;
  readonly project: string;
  readonly provider: string;
  readonly event: string;
  readonly delivery: string;
  readonly status: number;
  readonly verdict: string;
  readonly deployments: readonly number[];
  readonly receivedAt: Date;
}

export interface GitProjectMethods {
  /** Moves a project from a git URL to the checkout of its newest commit (ensureProject leaves such a project's directory as it is). */
  setProjectDir(projectId: number, dir: string): Promise<void>;
  /** Records the project's git source (none: a checkout on the host). */
  setProjectGit(projectId: number, git: ProjectGit | undefined): Promise<void>;
  /** The project's sealed secrets (webhook secret, credentials), as the caller sealed them. */
  projectSecrets(projectId: number): Promise<string | undefined>;
  setProjectSecrets(projectId: number, sealed: string | undefined): Promise<void>;
  /** Removes an environment and its whole history (a closed pull request's preview). */
  deleteEnvironment(environmentId: number): Promise<void>;
  /**
   * Records a delivery. With `dedupe` (a verified delivery), only the first with that key is
   * recorded as given: a later one is recorded as a duplicate and `duplicateOf` is the first.
   */
  recordDelivery(d: { project: string; provider: string; event: string; delivery: string; dedupe?: string; status: number; verdict: string }): Promise<{ id: number; duplicateOf?: WebhookDeliveryRow }>;
  updateDelivery(id: number, patch: { status: number; verdict: string; deployments?: readonly number[] }): Promise<void>;
  /** Records a failure and frees the delivery's id, so that the provider's redelivery can try again. */
  failDelivery(id: number, patch: { status: number; verdict: string }): Promise<void>;
  /** Newest first. */
  deliveries(project: string, limit: number): Promise<WebhookDeliveryRow[]>;
}

export interface RegistryMethods {
  setProjectSettings(projectId: number, settings: ProjectSettings): Promise<void>;
  /** Every project with its environments' names, by name. */
  projects(): Promise<ProjectListRow[]>;
  project(name: string): Promise<ProjectListRow | undefined>;
}
