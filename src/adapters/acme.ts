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

/** How long the directory may take to answer before it counts as unreachable. */
const DIRECTORY_TIMEOUT_MS = 10_000;

const HINT = "check acme.directory in slipway.yml; for a private CA, give its root certificate in NODE_EXTRA_CA_CERTS";

/** The network or TLS error under fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND, a certificate not trusted…). */
function rootCause(error: unknown): string {
  let cause = error;
  while (cause instanceof Error && cause.cause !== undefined && (cause.message === "fetch failed" || cause.message === "")) cause = cause.cause;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as Error & { code?: unknown }).code;
  const message = cause.message || (cause instanceof AggregateError ? cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join("; ") : "");
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * The directory read once before acme-client starts: when it cannot be reached, acme-client
 * loses the network error (its retry interceptor ends in "Cannot read properties of undefined
 * (reading 'config')"), so the real cause is told from here.
 */
async function checkReachable(directory: string): Promise<void> {
  try {
    const response = await fetch(directory, { signal: AbortSignal.timeout(DIRECTORY_TIMEOUT_MS) });
    await response.body?.cancel();
  } catch (error) {
    throw new AcmeError(`cannot read the ACME directory ${directory}: ${rootCause(error)} (${HINT})`, { cause: error });
  }
}

/**
 * acme-client retries a request that got no answer 5 times, 5 s more each (75 s), and only
 * then fails: once and 1 s is enough to ride out a blip. Its settings live on its shared axios
 * instance, so they are set there; a CA's Retry-After is still honoured.
 */
function quickRetries(axios: { readonly defaults: object }): void {
  const defaults = axios.defaults as { acmeSettings?: Record<string, unknown> };
  defaults.acmeSettings = { ...defaults.acmeSettings, retryMaxAttempts: 1, retryDefaultDelay: 1 };
}

export function createAcme(): Acme {
  const load = async () => {
    const acme = (await import("acme-client")).default;
    quickRetries(acme.axios);
    return acme;
  };
  return {
    async createAccountKey() {
      const acme = await load();
      return (await acme.crypto.createPrivateEcdsaKey("P-256")).toString();
    },
    async issue(order) {
      await checkReachable(order.directory);
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
