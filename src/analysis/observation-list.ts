import type { Observation } from '../model/observation.js';

/**
 * For the checks that judge a change window connection by connection (drain, failover, disruption,
 * expiry, persistence-timeout, ftp, config): they keep every observation their hook gets, so their
 * memory grows with the connections of the window. Window suites are bounded in time and small;
 * the checks of large traffic (pcc, ppc, fwmark, weights, connections) keep per-client state instead.
 */
export class ObservationList {
  readonly all: Observation[] = [];

  readonly add = (o: Observation): void => {
    this.all.push(o);
  };
}
