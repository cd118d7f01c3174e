/** Users of the server: a name, a role and a scrypt hash of a password, generated when none is given. */
import { SlipwayError } from "../core/errors.js";
import type { Role, UserRow } from "../store/server-types.js";
import type { App } from "./app.js";
import { generatePassword, hashPassword } from "./passwords.js";

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export interface AddedUser {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  /** Only when Slipway generated it: shown once. */
  readonly generatedPassword?: string;
}

export async function addUser(app: App, request: { name: string; role: Role; password?: string; actor: string }): Promise<AddedUser> {
  if (!NAME.test(request.name)) throw new SlipwayError("E_USAGE", `${request.name}: a user name is letters, digits, dots, dashes and underscores, at most 64`);
  if (request.password !== undefined && request.password.length < 12) throw new SlipwayError("E_USAGE", "a password needs 12 characters or more");
  const generated = request.password === undefined ? generatePassword() : undefined;
  const { store } = await app.deps();
  const id = await store.createUser({ name: request.name, role: request.role, passwordHash: await hashPassword(request.password ?? generated ?? "") });
  await store.audit({ actor: request.actor, action: "user.create", detail: { name: request.name, role: request.role } });
  return { id, name: request.name, role: request.role, ...(generated ? { generatedPassword: generated } : {}) };
}

export async function listUsers(app: App): Promise<Array<Omit<UserRow, "passwordHash">>> {
  return (await app.deps()).store.users();
}
