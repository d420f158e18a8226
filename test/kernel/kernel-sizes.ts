/**
 * Clients per tutorial suite on the kernel tier (the guest is ~50x slower than the host): each the
 * smallest comfortable size at which every check can confirm, which `sizing` checks before traffic.
 * PPC's wlc spread is judged by an equivalence test, which needs the most.
 */
export const KERNEL_TIER_CLIENTS: Record<string, number> = {
  pcc: 24,
  ppc: 200,
  'fwmark-ftp': 24,
};
