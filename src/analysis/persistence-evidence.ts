/**
 * Could the traffic have told the expected persistence from a plausible wrong one? A client that kept
 * its real server proves stickiness only if a director without it would likely have moved the
 * client. Under a wrong director each new connection (or, per-port, each port) is scheduled afresh;
 * taking those picks as independent draws from the expected shares s_i, a key with c picks stays put
 * by chance with probability sum(s_i^c). The traffic is evidence when the product over all keys, the
 * chance that every key stayed put by luck, is below the significance.
 * The independence is an approximation: concurrent clients interleave, so an rr/wrr director's picks
 * for one client are as good as draws. sh hashes the client address and keeps every client on one
 * server without any persistence: there nothing can be told apart.
 */
export interface ChanceOfLuck {
  /** Keys that could have shown a move (two or more picks). */
  keys: number;
  /** The chance that every such key stayed put with the wrong director. */
  probability: number;
}

/** `picksOf` maps each key to how many independent picks a wrong director would have made for it. */
export function chanceAllStayed(picks: Iterable<number>, shares: readonly number[]): ChanceOfLuck {
  let keys = 0;
  let logP = 0;
  for (const c of picks) {
    if (c < 2) continue;
    keys++;
    logP += Math.log(shares.reduce((s, x) => s + x ** c, 0));
  }
  return { keys, probability: Math.exp(logP) };
}

/** Clients needed for `chanceAllStayed` to fall below alpha if each has `picks` picks. */
export function clientsNeeded(picks: number, shares: readonly number[], alpha: number): number | null {
  const stay = shares.reduce((s, x) => s + x ** picks, 0);
  return picks < 2 || stay >= 1 ? null : Math.ceil(Math.log(alpha) / Math.log(stay));
}
