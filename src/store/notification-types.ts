/**
 * What the store keeps of a deployment's reports to the outside: notification targets and
 * their delivery attempts, a project's commit-status target and the reports sent to it.
 * Plain rows; `Store` (types.ts) extends these. Secrets arrive and leave sealed.
 */

export type StatusProvider = "github" | "gitlab" | "gitea";

export interface NotificationTargetRow {
  readonly id: number;
  readonly projectId: number;
  readonly url: string;
  /** Sealed (see secrets/cipher.ts): only the delivery opens it. */
  readonly secret: string;
  readonly actor: string;
  readonly createdAt: Date;
}

/** One try to deliver one event to one target. */
export interface AttemptRecord {
  readonly deploymentId: number;
  readonly attempt: number;
  /** The HTTP status answered; absent when none came. */
  readonly httpStatus?: number;
  /** A network error, a timeout, or a status that is not 2xx. */
  readonly error?: string;
  readonly durationMs: number;
}

export interface NotificationAttemptRow extends AttemptRecord {
  readonly id: number;
  readonly targetId: number;
  readonly url: string;
  readonly delivery: string;
  readonly event: string;
  readonly at: Date;
}

export interface StatusTargetRow {
  readonly projectId: number;
  readonly provider: StatusProvider;
  readonly repository: string;
  readonly apiUrl: string;
  /** Sealed: the provider's API token. */
  readonly token: string;
  readonly actor: string;
  readonly createdAt: Date;
}

export interface StatusReportRow extends AttemptRecord {
  readonly id: number;
  readonly provider: StatusProvider;
  readonly state: string;
  /** What the provider made of it, that later reports need (a GitHub deployment's id). */
  readonly externalId?: string;
  readonly at: Date;
}

export interface NotificationMethods {
  addNotificationTarget(t: { projectId: number; url: string; secret: string; actor: string }): Promise<NotificationTargetRow>;
  /** A project's targets, oldest first. */
  notificationTargets(projectId: number): Promise<NotificationTargetRow[]>;
  /** True when the project had it; its attempts go with it. */
  removeNotificationTarget(projectId: number, id: number): Promise<boolean>;
  recordNotificationAttempt(a: AttemptRecord & { targetId: number; delivery: string; event: string }): Promise<void>;
  /** A project's attempts, newest first, at most `limit`. */
  notificationAttempts(projectId: number, limit: number): Promise<NotificationAttemptRow[]>;
}

export interface StatusMethods {
  /** Sets the project's target, replacing the one it had. */
  setStatusTarget(t: Omit<StatusTargetRow, "createdAt">): Promise<void>;
  statusTarget(projectId: number): Promise<StatusTargetRow | undefined>;
  /** True when the project had one. */
  removeStatusTarget(projectId: number): Promise<boolean>;
  recordStatusReport(r: AttemptRecord & { projectId: number; provider: StatusProvider; state: string; externalId?: string }): Promise<void>;
  /** Newest first, at most `limit`; only one deployment's when `deploymentId` is given. */
  statusReports(query: { projectId: number; deploymentId?: number; limit: number }): Promise<StatusReportRow[]>;
}
