/** Who is signed in, and what their role lets the page offer (the API checks it again). */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Result } from "./api/client";

export type Role = Result<"whoami">["role"];
export interface SignedIn {
  readonly actor: string;
  readonly role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2 };
export const allows = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

export const SessionContext = createContext<SignedIn>({ actor: "", role: "viewer" });
export const useSession = (): SignedIn => useContext(SessionContext);
export const useCan = (needed: Role): boolean => allows(useSession().role, needed);
