/** Timestamps as stored (ISO 8601 text, UTC; see schema.ts) and as the rows carry them (Date). */
import type { Timestamp } from "./schema.js";

export function toTimestamp(date: Date): Timestamp {
  return date.toISOString();
}

export function fromTimestamp(value: Timestamp): Date {
  return new Date(value);
}

export function fromOptionalTimestamp(value: Timestamp | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}
