/**
 * An ACME CA, through acme-client (RFC 8555): one call issues a certificate for a set of names
 * by HTTP-01, with the challenge answered by whoever the order names. Thin: when to issue, and
 * where the result goes, is the caller's. The CA's own TLS is trusted as Node trusts it
 * (its built-in roots, plus NODE_EXTRA_CA_CERTS).
 */
export interface ChallengeAnswerer {
  set(token: string, keyAuthorization: string): Promise<void>;
  clear(token: string): Promise<void>;
}

export interface AcmeOrder {
  readonly directory: string;
  readonly email: string;
  /** The account's private key (PEM). */
  readonly accountKey: string;
  readonly names: readonly string[];
  readonly answerer: ChallengeAnswerer;
}

export interface IssuedCertificate {
  /** The certificate and its chain (PEM). */
  readonly chain: string;
  /** Its private key (PEM): never printed or logged. */
  readonly key: string;
}

export interface Acme {
  createAccountKey(): Promise<string>;
  issue(order: AcmeOrder): Promise<IssuedCertificate>;
}

/** The CA's problem, as it said it, when acme-client carries one. */
export class AcmeError extends Error {
  override readonly name = "AcmeError";
}

export function createAcme(): Acme {
  const load = async () => (await import("acme-client")).default;
  return {
    async createAccountKey() {
      const acme = await load();
      return (await acme.crypto.createPrivateEcdsaKey("P-256")).toString();
    },
    async issue(order) {
      const acme = await load();
      const client = new acme.Client({ directoryUrl: order.directory, accountKey: order.accountKey });
      const [key, csr] = await acme.crypto.createCsr({ commonName: order.names[0] ?? "", altNames: [...order.names] }, await acme.crypto.createPrivateEcdsaKey("P-256"));
      try {
        const chain = await client.auto({
          csr,
          email: order.email,
          termsOfServiceAgreed: true,
          challengePriority: ["http-01"],
          // The CA checks from where it stands; a check from here could see another network.
          skipChallengeVerification: true,
          challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
            if (challenge.type !== "http-01") throw new AcmeError(`the CA offers no HTTP-01 challenge (only ${challenge.type})`);
            await order.answerer.set(challenge.token, keyAuthorization);
          },
          challengeRemoveFn: async (_authz, challenge) => {
            if (challenge.type === "http-01") await order.answerer.clear(challenge.token);
          },
        });
        return { chain, key: key.toString() };
      } catch (error) {
        throw new AcmeError((error as Error).message, { cause: error });
      }
    },
  };
}
