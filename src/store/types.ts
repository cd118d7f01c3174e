/** What the rest of Slipway sees of the store: one interface and the plain rows it returns. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { AuditMethods, AuthMethods, EventMethods, QueueMethods, RegistryMethods, GitProjectMethods } from "./server-types.js";
import type { NotificationMethods, StatusMethods } from "./notification-types.js";

export type ReleaseKind = "deploy" | "rollback" | "promotion";
export type ReleaseStatus = "pending" | "live" | "failed" | "superseded" | "retired" | "interrupted";

/** Which of an environment's releases to read: an environment may hold thousands. */
export interface ReleaseQuery {
  readonly statuses?: readonly ReleaseStatus[];
  readonly limit?: number;
}
/** queued → running → succeeded | failed | cancelled; interrupted when its process died; superseded when a newer request replaced it in the queue. */
export type DeploymentStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted" | "superseded";

/** Who the store acts as, and its clock: given by the composition root, never read from the process. */
export interface StoreIdentity {
  readonly pid: number;
  readonly hostname: string;
  /** When the process started (boot id and start ticks): tells it from a later one with its pid. */
  readonly started?: string;
  readonly now: () => Date;
}
export type StepStatus = "running" | "succeeded" | "failed" | "skipped" | "interrupted";
export type LogStream = "stdout" | "stderr" | "info";
export type BuildImages = Record<string, { image: string; id: string }>;

export interface PushedImageRow {
  readonly service: string;
  readonly reference: string;
  readonly imageId: string;
  readonly digest: string;
  readonly pushedAt: Date;
}

export interface BuildRow {
  id: number;
  projectId: number;
  commit: string;
  tag: string;
  buildKey: string;
  images: BuildImages;
  createdAt: Date;
}

export interface ReleaseRow {
  id: number;
  environmentId: number;
  number: number;
  buildId: number;
  kind: ReleaseKind;
  config: unknown;
  status: ReleaseStatus;
  createdAt: Date;
  /** Sealed text: the release's compose model (its containers' variables among it). */
  sealed?: string;
  variables?: ReleaseVariables;
}

/** Which variables a release ran with: the store's version (none: no variable was ever set) and a digest of all it got. */
export interface ReleaseVariables {
  version: number | null;
  digest: string;
}

export interface VariableChanges {
  set: string[];
  unset: string[];
}

export interface VariableVersionRow {
  id: number;
  environmentId: number;
  version: number;
  actor: string;
  changes: VariableChanges;
  sealed: string;
  createdAt: Date;
}

/** Every sealed text the store holds, to re-seal under a new key. */
export interface SealedEntry {
  table: "variable_versions" | "releases" | "notification_targets" | "status_targets";
  id: number;
  sealed: string;
}

/** A release with its build's commit, tag and images, and the deployment that made it (if any still says so). */
export interface ReleaseWithDeployment extends ReleaseRow {
  commit: string;
  tag: string;
  images: BuildImages;
  deployment?: { id: number; actor: string; status: DeploymentStatus; startedAt: Date; finishedAt?: Date };
}

export interface DeploymentRow {
  id: number;
  environmentId: number;
  releaseId?: number;
  kind: string;
  ref: string;
  commit?: string;
  actor: string;
  status: DeploymentStatus;
  error?: string;
  startedAt: Date;
  finishedAt?: Date;
  /** The process that ran it, so that a server can reap deployments orphaned by a crash. */
  pid?: number;
  hostname?: string;
  processStarted?: string;
  /** When it took the environment's lock and began its steps. */
  runningAt?: Date;
  /** Asked of the server's queue (it carries its request), rather than run by a CLI call. */
  queuedRequest: boolean;
  cancelRequestedAt?: Date;
}

export interface StepRow {
  id: number;
  deploymentId: number;
  name: string;
  status: StepStatus;
  startedAt: Date;
  finishedAt?: Date;
  error?: string;
}

export interface LogRow {
  id: number;
  deploymentId: number;
  step: string;
  stream: LogStream;
  line: string;
  at: Date;
}

export interface LockHolder {
  description: string;
  /** Defaults to this process. */
  pid?: number;
  /** Defaults to this host. */
  hostname?: string;
  /** The holder process's start (see liveness.ts); defaults to this process's when pid is. */
  started?: string;
  deploymentId?: number;
}

/** The lock row as it stands, for saying who holds it and breaking it. */
export interface LockRow {
  environmentId: number;
  deploymentId?: number;
  holder: string;
  pid?: number;
  hostname?: string;
  acquiredAt: Date;
  /** The holder no longer runs on this host (its lock is taken over by the next taker). */
  dead: boolean;
}

export interface LockOptions {
  /** Wait for a live holder (the default), or throw LockedError at once. */
  wait?: boolean;
  pollMs?: number;
  /** Called once, with the holder's description, when the lock is found taken. */
  onWait?: (holder: string) => void;
  signal?: AbortSignal;
}

export type HeldLock = AsyncDisposable & { release(): Promise<void> };

export interface Store extends AsyncDisposable, QueueMethods, EventMethods, AuthMethods, AuditMethods, RegistryMethods, GitProjectMethods, NotificationMethods, StatusMethods {
  readonly db: Kysely<Database>;
  /** The project's id; records `dir` as its directory. */
  ensureProject(name: string, dir: string): Promise<number>;
  ensureEnvironment(projectId: number, name: string): Promise<number>;
  /** A project's id by name, without creating it. */
  projectId(name: string): Promise<number | undefined>;
  /** Every environment of a project, by name. */
  environments(projectId: number): Promise<Array<{ id: number; name: string }>>;
  findBuild(projectId: number, buildKey: string): Promise<BuildRow | undefined>;
  /**
   * Records a build of this key, or, when one is recorded already (built again with --build-mode
   * force, or by another environment's deployment at the same time), gives it these images: the
   * ones its tags now name. Its id stays, so releases that point at it keep pointing at it.
   */
  saveBuild(b: { projectId: number; commit: string; tag: string; buildKey: string; images: BuildImages }): Promise<BuildRow>;
  /** The digest the registry gave for a build's image pushed as `reference` (a later push of the same reference replaces it). */
  recordPushed(p: { buildId: number; service: string; reference: string; imageId: string; digest: string }): Promise<void>;
  /** What was recorded of a build's pushes, by reference. */
  pushedImages(buildId: number): Promise<PushedImageRow[]>;
  /** The project's builds, newest first, at most `limit`. */
  recentBuilds(projectId: number, limit: number): Promise<BuildRow[]>;
  nextReleaseNumber(environmentId: number): Promise<number>;
  createRelease(r: { environmentId: number; number: number; buildId: number; kind: ReleaseKind; config: unknown; sealed?: string; variables?: ReleaseVariables }): Promise<ReleaseRow>;
  setReleaseStatus(releaseId: number, status: ReleaseStatus): Promise<void>;
  liveRelease(environmentId: number): Promise<ReleaseRow | undefined>;
  /** Newest first; only those with one of `statuses`, at most `limit` (default: every one). */
  releases(environmentId: number, options?: ReleaseQuery): Promise<ReleaseWithDeployment[]>;
  /** Created `queued`; the pipeline marks it running once it holds the environment's lock. */
  createDeployment(d: { environmentId: number; kind: string; ref: string; actor: string; pid?: number }): Promise<number>;
  updateDeployment(id: number, patch: { releaseId?: number; ref?: string; commit?: string; status?: DeploymentStatus; error?: string; finishedAt?: Date }): Promise<void>;
  deployment(id: number): Promise<DeploymentRow | undefined>;
  latestDeployment(environmentId: number): Promise<DeploymentRow | undefined>;
  /** Newest first, at most `limit`. */
  recentDeployments(environmentId: number, limit: number): Promise<DeploymentRow[]>;
  startStep(deploymentId: number, name: string): Promise<number>;
  finishStep(stepId: number, status: "succeeded" | "failed" | "skipped", error?: string): Promise<void>;
  steps(deploymentId: number): Promise<StepRow[]>;
  /** One batched insert per call (chunked under the engine's parameter limit). */
  appendLogs(deploymentId: number, step: string, lines: ReadonlyArray<{ stream: LogStream; line: string }>): Promise<void>;
  logs(deploymentId: number): Promise<LogRow[]>;
  /**
   * Takes the environment's deploy lock. Held by a live process → waits (polling, calling onWait
   * once with the holder description) or, with wait:false, throws LockedError. Held by a dead
   * process (same hostname and pid no longer alive) → taken over. Release with `await using`.
   */
  acquireLock(environmentId: number, holder: LockHolder, options?: LockOptions): Promise<HeldLock>;
  lock(environmentId: number): Promise<LockRow | undefined>;
  /** Deletes the lock row, whoever holds it: `slipway unlock`. True when there was one. */
  breakLock(environmentId: number): Promise<boolean>;
  /** Queued or running deployments whose process no longer runs on this host. */
  orphanedDeployments(environmentId: number): Promise<DeploymentRow[]>;
  /** The deployment, its running steps and its unfinished release marked interrupted; returns the step it died in. */
  markInterrupted(deploymentId: number, reason: string): Promise<string | undefined>;
  /** The environment's variables at `version`, else the latest; undefined when none was ever set. */
  variableVersion(environmentId: number, version?: number): Promise<VariableVersionRow | undefined>;
  /** Newest first, without their values. */
  variableHistory(environmentId: number): Promise<Array<Omit<VariableVersionRow, "sealed">>>;
  /** Records the version after `base` (the one the values were read from); throws VariableVersionConflict if that is no longer the latest. */
  saveVariableVersion(v: { environmentId: number; base: number | null; actor: string; changes: VariableChanges; sealed: string }): Promise<VariableVersionRow>;
  /** Re-seals everything sealed, in one transaction: all or nothing. */
  reseal(transform: (entry: SealedEntry) => { sealed: string; digest?: string }): Promise<number>;
}
