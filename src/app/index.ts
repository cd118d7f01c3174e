/**
 * The application layer's public face: every user operation, the composition root, and the
 * types the shells (the CLI, the server) render. The shells import from here only.
 */
export { createApp, type App, type AppSettings } from "./app.js";
export type { ProjectRequest } from "./project.js";
export { deploy, describeSources, type DeployRequest } from "./deploy.js";
export { build, type BuildOutcome, type BuildRequest } from "./build.js";
export { rollback, type RollbackRequest } from "./rollback.js";
export { promote, type PromoteRequest } from "./promote.js";
export type { DriveOptions } from "./drive.js";
export { down, type DownRequest } from "./down.js";
export { execOneOff, runOneOff, type OneOffRequest, type OneOffStdio } from "./one-off.js";
export { accessories, type AccessoriesReport, type AccessoryStatus } from "./accessories.js";
export { accessoryLogs, recreateAccessory, restartAccessory, type AccessoryRequest, type RecreateRequest } from "./accessory-control.js";
export { status, computeDrift, type StatusReport, type RouteStatus } from "./status.js";
export { releases, type ReleaseHistory, type Rollbackable } from "./releases.js";
export { deploymentLog, liveLogs, type LiveLogsRequest } from "./logs.js";
export { prune, describePrune, type PruneReport } from "./prune.js";
export {
  changeEnvironmentVariables,
  exportVariables,
  generateKeyText,
  isVariableName,
  listVariables,
  parseDotenvText,
  rotateKey,
  type ChangeOutcome,
  type RotateOutcome,
  type VariableList,
} from "./variables.js";
export { check, config, configView, plan, renderProblem, type CheckReport, type Classification, type Readiness, type ReleasePlan, type ServiceClass } from "./inspect.js";
export { inferConfig, type InitOutcome } from "./init.js";
export { ExitCodes, SlipwayError, exitCodeFor, isSlipwayError, type ErrorCode, type ErrorHint } from "../core/errors.js";
export { STEPS, isFinal, type DeploymentEvent, type EventSink, type LogStream, type StepName, type StepOutcome } from "../core/events.js";
export type { BuildMode } from "../pipeline/deploy-run.js";
export type { DeployOutcome } from "../pipeline/deploy.js";
export { parseDuration } from "../config/duration.js";

// What a server needs: access, accounts, the registry, the queue, events, and its reports.
export { ROLES, allows, canSee, isRole, notFound, requireProject, requireRole, type Principal, type Role } from "./access.js";
export { addUser, listUsers, type AddedUser } from "./users.js";
export { SESSION_MS, authenticate, createToken, listTokens, login, logout, parseLifetime, revokeToken, type CreatedToken, type TokenRow } from "./tokens.js";
export { environmentOf, environmentReleases, environmentStatus, listProjects, projectOf, registerProject, type ProjectSettings, type ProjectView, type ReleaseView } from "./registry.js";
export { deploymentDetail, deploymentLogText, environmentDeployments, findDeployment, type DeploymentDetail, type DeploymentView, type StepView } from "./deployments.js";
export { cancelDeployment, cancelsAsked, claimNext, enqueue, enqueueDeploy, runClaimed, targetOf, type CancelResult, type ClaimedDeployment, type QueuedRequest } from "./queue.js";
export { followEvents, recordEvents, type StoredEvent } from "./event-log.js";
export { reconcileAll } from "./reconcile-all.js";
export { auditLog, type AuditRow } from "./audit.js";
export { overview, type EnvironmentOverview } from "./overview.js";
export { csrfMatches, csrfTokenOf } from "./tokens.js";
export { DURATION_BUCKETS, metrics, type Metrics } from "./metrics.js";
export { changeProjectVariables, projectVariables } from "./project-variables.js";
export { storeLocation } from "./app.js";
export { certificates, renewCertificates } from "./certs.js";
export { addGitProject, deployKeyOf, rotateWebhookSecret, webhookAddress, type AddGitProjectRequest, type GitProjectAdded } from "./git-projects.js";
export { receiveWebhook, webhookDeliveries, type WebhookReceipt, type WebhookRequest } from "./webhooks.js";
export { deploymentEnded, deploymentQueued, settleDeliveries } from "./deployment-hooks.js";
export { addNotificationTarget, listNotificationTargets, notificationAttempts, removeNotificationTarget, type AddedNotificationTarget, type NotificationAttemptView, type NotificationTargetView } from "./notifications.js";
export { isProvider, removeStatusTarget, setStatusTarget, showStatusTarget, type StatusReportView, type StatusTargetView } from "./commit-statuses.js";
export { PROVIDERS } from "./status-providers.js";
export type { DeploymentStatus } from "../store/store.js";
