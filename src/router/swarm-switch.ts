/**
 * The switch on Swarm, runtime API only: the idle group of slots is pointed at the next
 * release's tasks (`set server … fqdn tasks.<service>`), waited for until enough slots hold a
 * task address and pass their health check, made ready; the live group drained, waited for
 * until it holds no request, then put in maintenance and pointed back at the placeholder.
 * Never a reload and never a service update: no client connection is closed.
 */
import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { writePrivateFile } from "../core/private-files.js";
import { checkName, checkPort } from "./names.js";
import { RouterError } from "./router-error.js";
import { parseStat } from "./runtime-api.js";
import { IN_CONTAINER } from "./router-container.js";
import { checkServiceName, PLACEHOLDER_FQDN, renderSwarmRouterConfig, SLOT_GROUPS, type SlotGroup, type SwarmRoute } from "./swarm-router-config.js";
import type { SwarmRouter } from "./swarm-router-handle.js";

export interface SwarmSlot {
  readonly name: string;
  readonly group: SlotGroup;
  /** What it resolves: `tasks.<service>`, or the placeholder. */
  readonly fqdn: string;
  /** "10.0.1.5:8000"; undefined while it holds no task address. */
  readonly address: string | undefined;
  readonly port: number;
  readonly state: "ready" | "drain" | "maint";
  /** srv_admin_state, raw (bit flags, see slotState). */
  readonly admin: number;
  /** UP by health check. */
  readonly up: boolean;
  readonly sessions: number;
}

export interface SwarmRouteState {
  readonly backend: string;
  /** The group taking new requests, and the service it resolves; undefined: none. */
  readonly live: { readonly group: SlotGroup; readonly service: string } | undefined;
  readonly slots: readonly SwarmSlot[];
}

export interface SwitchTarget {
  /** The release's swarm service, "<stack>_<service>", on the router's network. */
  readonly service: string;
  readonly port: number;
  /** Slots that must hold a healthy task before traffic moves (the service's replicas). */
  readonly expected: number;
  /** For the new tasks to be resolved and healthy (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** For the old group's requests to end (default 30 s). */
  readonly drainTimeoutMs?: number;
}

const POLL_MS = 200;
const PARK_TIMEOUT_MS = 5000;
/** A slot counts once seen UP at the same address across a check interval (inter 1s): a fresh address has been checked. */
const STABLE_MS = 1100;
const NO_ADDRESS = new Set(["-", "0.0.0.0", "::", ""]);

const TASKS = "tasks.";
const serviceOf = (fqdn: string): string | undefined => (fqdn.startsWith(TASKS) ? fqdn.slice(TASKS.length) : undefined);

// srv_admin_state: what takes a slot out of service (forced, inherited, resolution maintenance)
// and drain. CMAINT (disabled in the file) and HMAINT (fqdn set at run time) only say where a
// state came from; runtime-api's adminState counts them as maintenance, which fits no slot.
const MAINT = 0x01 | 0x02 | 0x20;
const DRAIN = 0x08 | 0x10;
const slotState = (admin: number): SwarmSlot["state"] => (admin & MAINT ? "maint" : admin & DRAIN ? "drain" : "ready");

/** `show servers state <backend>` and `show stat`, as slots. */
export async function readSwarmRoute(router: SwarmRouter, backend: string): Promise<SwarmRouteState> {
  const rows = table(await router.command(`show servers state ${checkName("backend", backend)}`));
  const stats = parseStat(await router.command("show stat -1 4 -1")).filter((r) => r.pxname === backend);
  const slots = rows.flatMap((row): SwarmSlot[] => {
    const name = row.srv_name ?? "";
    const group = SLOT_GROUPS.find((g) => new RegExp(`^${g}\\d+$`).test(name));
    if (group === undefined) return [];
    const stat = stats.find((s) => s.svname === name);
    const ip = row.srv_addr ?? "-";
    return [
      {
        name,
        group,
        fqdn: row.srv_fqdn ?? "-",
        address: NO_ADDRESS.has(ip) ? undefined : `${ip}:${row.srv_port ?? ""}`,
        port: Number(row.srv_port),
        state: slotState(Number(row.srv_admin_state)),
        admin: Number(row.srv_admin_state),
        up: row.srv_op_state === "2",
        sessions: Number(stat?.scur ?? 0) + Number(stat?.qcur ?? 0),
      },
    ];
  });
  if (slots.length === 0) throw new RouterError("E_ROUTER_COMMAND", `backend ${backend} has no slots: is it a route of the Swarm router?`);
  // Both groups are ready for a moment during a switch: the first one then, as good as the other.
  const liveSlot = slots.find((s) => s.state === "ready" && serviceOf(s.fqdn) !== undefined);
  return { backend, live: liveSlot === undefined ? undefined : { group: liveSlot.group, service: serviceOf(liveSlot.fqdn) ?? "" }, slots };
}

/** Rows of a space-separated table whose header line starts with "# ". */
function table(text: string): Array<Record<string, string>> {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header = lines.find((line) => line.startsWith("# "));
  if (header === undefined) throw new RouterError("E_ROUTER_COMMAND", `HAProxy answered "show servers state" with ${JSON.stringify(text.trim().slice(0, 200))}`);
  const columns = header.slice(2).split(" ");
  return lines.filter((line) => !line.startsWith("#") && line !== "1").map((line) => Object.fromEntries(line.split(" ").map((field, i) => [columns[i] ?? `${i}`, field])));
}

/** Runs a runtime command; an answer that reads like a refusal becomes an error. */
async function run(router: SwarmRouter, line: string): Promise<string> {
  const answer = (await router.command(line)).trim();
  if (/^(no such|unknown|require|invalid|unexpected|failed|cannot|can't)|not (allowed|supported|found)|only supported|error/i.test(answer)) {
    throw new RouterError("E_ROUTER_COMMAND", `HAProxy refused "${line}": ${answer}`);
  }
  return answer;
}

const slotsOfGroup = (state: SwarmRouteState, group: SlotGroup): SwarmSlot[] => state.slots.filter((s) => s.group === group);

const FORCED_MAINT = 0x01;
const forcedMaint = (slot: SwarmSlot): boolean => (slot.admin & FORCED_MAINT) !== 0;
const parked = (slot: SwarmSlot): boolean => forcedMaint(slot) && slot.fqdn === PLACEHOLDER_FQDN && slot.address === undefined;

/**
 * Maintenance, the placeholder, no address: an idle group. Checked afterwards and done again
 * where needed: a resolution of the old name in flight at the change can still bring an
 * address back, which the next switch would take for a fresh one.
 */
async function park(router: SwarmRouter, backend: string, group: SlotGroup): Promise<void> {
  const deadline = router.clock.now() + PARK_TIMEOUT_MS;
  for (;;) {
    const pending = slotsOfGroup(await readSwarmRoute(router, backend), group).filter((slot) => !parked(slot));
    if (pending.length === 0) return;
    if (router.clock.now() >= deadline) {
      throw new RouterError("E_ROUTER_TIMEOUT", `slots ${pending.map((s) => s.name).join(", ")} of ${backend} did not go idle (maintenance, no address)`);
    }
    for (const slot of pending) {
      const target = `${backend}/${slot.name}`;
      if (!forcedMaint(slot)) await run(router, `set server ${target} state maint`);
      if (slot.fqdn !== PLACEHOLDER_FQDN) await run(router, `set server ${target} fqdn ${PLACEHOLDER_FQDN}`);
      // The old name's last answer would otherwise stay until its resolution fails for good
      // (hold nx, 30 s). A slot that never held an address has none to clear (HAProxy refuses).
      if (slot.address !== undefined) await run(router, `set server ${target} addr 0.0.0.0`);
    }
    await router.clock.sleep(POLL_MS);
  }
}

/** Polls the group until `expected` slots are UP at an address that stayed the same for STABLE_MS. */
async function waitReady(router: SwarmRouter, backend: string, group: SlotGroup, target: SwitchTarget): Promise<SwarmSlot[]> {
  const deadline = router.clock.now() + (target.readyTimeoutMs ?? 60_000);
  const since = new Map<string, { address: string; at: number }>();
  for (;;) {
    const now = router.clock.now();
    const slots = slotsOfGroup(await readSwarmRoute(router, backend), group);
    const ready: SwarmSlot[] = [];
    for (const slot of slots) {
      const seen = since.get(slot.name);
      if (!slot.up || slot.address === undefined || slot.fqdn !== `${TASKS}${target.service}`) since.delete(slot.name);
      else if (seen?.address !== slot.address) since.set(slot.name, { address: slot.address, at: now });
      else if (now - seen.at >= STABLE_MS) ready.push(slot);
    }
    if (ready.length >= target.expected) return ready;
    if (now >= deadline) {
      throw new RouterError("E_ROUTER_TIMEOUT", `only ${ready.length} of ${target.expected} task(s) of ${target.service} were resolved and healthy through the router after ${(target.readyTimeoutMs ?? 60_000) / 1000} s: is the service on network ${router.network}, with a passing HEALTHCHECK, answering on port ${target.port}? Slots: ${slots.map((s) => `${s.name} ${s.address ?? "no address"} ${s.up ? "UP" : "DOWN"}`).join(", ")}`);
    }
    await router.clock.sleep(POLL_MS);
  }
}

async function waitDrained(router: SwarmRouter, backend: string, group: SlotGroup, timeoutMs: number): Promise<void> {
  const deadline = router.clock.now() + timeoutMs;
  for (;;) {
    const sessions = slotsOfGroup(await readSwarmRoute(router, backend), group).reduce((sum, s) => sum + s.sessions, 0);
    if (sessions === 0) return;
    if (router.clock.now() >= deadline) {
      throw new RouterError("E_ROUTER_TIMEOUT", `the previous release still holds ${sessions} request(s) on ${backend} after ${timeoutMs / 1000} s; the new one is live, the old slots stay drained. Switch again later to finish`);
    }
    await router.clock.sleep(POLL_MS);
  }
}

/**
 * Moves the backend's traffic to `target.service`. On a failure before traffic moved (tasks
 * never ready), the idle group is parked again and the live release keeps serving.
 */
export async function switchSwarmRoute(router: SwarmRouter, backend: string, target: SwitchTarget): Promise<SwarmRouteState> {
  checkName("backend", backend);
  checkServiceName(target.service);
  checkPort(target.port);
  const before = await readSwarmRoute(router, backend);
  if (before.live?.service === target.service) return before; // already live
  const idle: SlotGroup = before.live?.group === "a" ? "b" : "a";
  const idleSlots = slotsOfGroup(before, idle);
  const port = idleSlots[0]?.port;
  if (port !== target.port) {
    throw new RouterError("E_ROUTER_CONFIG", `backend ${backend} sends to port ${port ?? "?"}, not ${target.port}: a new port is a route change (ensureSwarmRouter, a reload), not a switch`);
  }
  if (target.expected < 1 || target.expected > idleSlots.length) {
    throw new RouterError("E_ROUTER_CONFIG", `${target.expected} task(s) expected, but backend ${backend} has ${idleSlots.length} slots a group: give the route more slots (a reload)`);
  }
  // Parked already, unless an earlier switch stopped half-way (its drain ran out): an address
  // left from then would pass for a task of the new release.
  await park(router, backend, idle);
  try {
    for (const slot of idleSlots) {
      await run(router, `set server ${backend}/${slot.name} fqdn ${TASKS}${target.service}`);
      // Drain takes no request yet, but runs the health checks that maintenance stops.
      await run(router, `set server ${backend}/${slot.name} state drain`);
    }
    const ready = await waitReady(router, backend, idle, target);
    for (const slot of ready) await run(router, `set server ${backend}/${slot.name} state ready`);
  } catch (error) {
    await park(router, backend, idle).catch(() => undefined); // never hides the first error
    throw error;
  }
  // Slots without a task yet stay ready too: DNS fills them as the service scales (checks keep them out until UP).
  for (const slot of idleSlots) await run(router, `set server ${backend}/${slot.name} state ready`);
  persistLive(router, backend, { group: idle, service: target.service });
  if (before.live !== undefined) {
    const old = slotsOfGroup(before, before.live.group);
    for (const slot of old) await run(router, `set server ${backend}/${slot.name} state drain`);
    await waitDrained(router, backend, before.live.group, target.drainTimeoutMs ?? 30_000);
    await park(router, backend, before.live.group);
  }
  return readSwarmRoute(router, backend);
}

/** The live release into the file HAProxy starts from (a restarted task serves it), without a reload. */
function persistLive(router: SwarmRouter, backend: string, live: NonNullable<SwarmRoute["live"]>): void {
  const file = join(router.etcDir, "routes.json");
  if (!existsSync(file)) return;
  const routes = (JSON.parse(readFileSync(file, "utf8")) as SwarmRoute[]).map((route) => (route.backend === backend ? { ...route, live } : route));
  writePrivateFile(join(router.etcDir, "haproxy.cfg"), renderSwarmRouterConfig({ routes, adminSocket: IN_CONTAINER.socket, configDir: IN_CONTAINER.configDir }));
  writePrivateFile(file, `${JSON.stringify(routes, null, 2)}\n`);
}
