/**
 * The API, called by operation id with the types generated from its OpenAPI document: a path,
 * query or body the document does not allow is a compile error here. The session cookie goes
 * with every call; a change carries the session's CSRF token.
 */
import { OPERATIONS, type components, type operations } from "./schema";

export type Schemas = components["schemas"];
export type OperationId = keyof typeof OPERATIONS & keyof operations;
type Operation<K extends OperationId> = operations[K];

type Json<R> = R extends { content: { "application/json": infer T } } ? T : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;
/** What a successful call gives: the JSON of its 200, 201 or 202 answer (undefined for a 204). */
export type Result<K extends OperationId> = Responses<Operation<K>> extends infer R
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : R extends { 202: infer A }
        ? Json<A>
        : undefined
  : never;

type PathOf<O> = O extends { parameters: { path: infer P } } ? { path: P } : { path?: undefined };
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? { query?: Q } : { query?: undefined };
type BodyOf<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? { body: B } : O extends { requestBody?: { content: { "application/json": infer B } } } ? { body?: B } : { body?: undefined };
export type Input<K extends OperationId> = PathOf<Operation<K>> & QueryOf<Operation<K>> & BodyOf<Operation<K>>;

export type Problem = Schemas["Problem"];

/** An answer that is not a success: the server's problem+json. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? `the server answered ${status}`);
  }
}

let csrf: string | undefined;
/** The session's CSRF token, from sign-in or GET /api/session. */
export function setCsrf(token: string | undefined): void {
  csrf = token;
}

/** Called when an answer says the session is gone (401): the app shows the sign-in page. */
let onUnauthenticated: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

interface LooseInput {
  readonly path?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

function buildUrl(template: string, input: LooseInput): string {
  const params = (input.path ?? {}) as Record<string, string | number>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const query = new URLSearchParams(Object.entries((input.query ?? {}) as Record<string, string | number | undefined>).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  return query.size > 0 ? `${path}?${query.toString()}` : path;
}

/** The address of an operation, for what fetch does not do (an EventSource). */
export function urlOf<K extends OperationId>(id: K, input: PathOf<Operation<K>>): string {
  return buildUrl(OPERATIONS[id][1], input);
}

async function problemOf(response: Response): Promise<Problem | undefined> {
  try {
    return (await response.json()) as Problem;
  } catch {
    return undefined;
  }
}

/** The input's arguments: none needed when every part of it is optional. */
type Args<K extends OperationId> = Record<never, never> extends Input<K> ? [Input<K>?] : [Input<K>];

export async function call<K extends OperationId>(id: K, ...args: Args<K>): Promise<Result<K>> {
  const input = (args[0] ?? {}) as LooseInput;
  const [method, template] = OPERATIONS[id];
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "get") {
    if (csrf) headers["x-slipway-csrf"] = csrf;
    if (input.body !== undefined) headers["content-type"] = "application/json";
  }
  // A 401 to a request sent before a sign-in is about the session that was, not this one.
  const sentWith = csrf;
  const response = await fetch(buildUrl(template, input), { method: method.toUpperCase(), headers, credentials: "same-origin", ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}) });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && id !== "login" && csrf === sentWith) onUnauthenticated();
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return undefined as Result<K>;
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as Result<K>;
}
