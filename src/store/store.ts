/** The store's public face: import from here, not from the files behind it. */
export type {
  BuildImages,
  BuildRow,
  DeploymentRow,
  DeploymentStatus,
  HeldLock,
  LockHolder,
  LockOptions,
  LogRow,
  LogStream,
  ReleaseKind,
  ReleaseRow,
  ReleaseStatus,
  ReleaseWithDeployment,
  StepRow,
  StepStatus,
  Store,
} from "./types.js";
export type { Database } from "./schema.js";
export { LockedError } from "./lock.js";
export { DATABASE_FILE, openStore, slipwayHome } from "./open-store.js";
