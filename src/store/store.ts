/** The store's public face: import from here, not from the files behind it. */
export type {
  BuildImages,
  BuildRow,
  DeploymentRow,
  DeploymentStatus,
  HeldLock,
  LockHolder,
  LockOptions,
  LockRow,
  LogRow,
  LogStream,
  ReleaseKind,
  ReleaseRow,
  ReleaseStatus,
  ReleaseVariables,
  ReleaseWithDeployment,
  SealedEntry,
  StepRow,
  StepStatus,
  Store,
  StoreIdentity,
  VariableChanges,
  VariableVersionRow,
} from "./types.js";
export type { Database } from "./schema.js";
export type { NotificationAttemptRow, NotificationTargetRow, StatusProvider, StatusReportRow, StatusTargetRow } from "./notification-types.js";
export { LockedError } from "./lock.js";
export { VariableVersionConflict } from "./variable-repository.js";
export { openStore } from "./open-store.js";
export { processIdentity } from "./identity.js";
export { processStarted } from "./liveness.js";
export { DATABASE_FILE, slipwayHome } from "./home.js";
