/**
 * Docker hands each network a subnet from its address pools; its defaults hold about 30. Each
 * environment takes a network, and each release that runs or is kept one more, so a host with
 * a dozen environments runs out, and Docker's own message does not say what to do.
 */
const EXHAUSTED = /could not find an available, non-overlapping IPv4 address pool/i;

export const ADDRESS_POOL_ADVICE =
  'Docker has no address range left for another network (each environment takes one, and each release running or kept for a rollback one more). Give dockerd smaller subnets in /etc/docker/daemon.json, e.g. {"default-address-pools": [{"base": "172.16.0.0/12", "size": 24}]} (4,096 networks), and restart it; or remove environments no longer used (slipway down)';

export function addressPoolsExhausted(text: string): boolean {
  return EXHAUSTED.test(text);
}
