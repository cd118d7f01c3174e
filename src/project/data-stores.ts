/**
 * Built services that are clearly data stores: a named volume where a database keeps its data.
 * Replaced on every release, such a service would start a second database beside the first on
 * the same files; `slipway init` proposes it as an accessory instead, and says why.
 */
import type { Classification } from "../plan/classify.js";
import type { ComposeModel } from "../plan/compose-model.js";

/** Where the official images of common databases keep their data. */
const DATA_DIRECTORIES = [
  "/var/lib/postgresql/data",
  "/var/lib/postgresql",
  "/var/lib/mysql",
  "/var/lib/mariadb",
  "/data/db",
  "/var/lib/mongodb",
  "/var/lib/redis",
  "/var/lib/clickhouse",
  "/var/lib/cassandra",
  "/var/lib/influxdb",
  "/var/lib/influxdb2",
  "/var/lib/rabbitmq",
  "/var/lib/neo4j/data",
  "/usr/share/elasticsearch/data",
  "/usr/share/opensearch/data",
  "/opt/couchdb/data",
  "/var/opt/mssql",
  "/bitnami/postgresql",
  "/bitnami/mysql",
  "/bitnami/mariadb",
  "/bitnami/mongodb",
  "/bitnami/redis",
];

/** The inferred app services that build a data store, each with the reason to keep it. */
export function dataStores(model: ComposeModel, classification: Classification): Record<string, string> {
  const found: Record<string, string> = {};
  for (const s of classification.services) {
    const service = model.services[s.name];
    if (s.role !== "app" || s.reason !== "has build:" || !service) continue;
    const mount = (service.volumes ?? []).find((v) => v.type === "volume" && v.source && DATA_DIRECTORIES.includes(v.target.replace(/\/+$/, "")));
    if (mount) found[s.name] = `a named volume (${mount.source ?? ""}) at ${mount.target}: a data store, started once and kept, never replaced by a release`;
  }
  return found;
}
