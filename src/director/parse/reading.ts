import type { DirectorSnapshot } from '../model.js';

/** A real server's -x/-y as `ipvsadm -Ln --thresholds` lists them, keyed as the listing names it. */
export interface ThresholdReading {
  service: string;
  address: string;
  port: number;
  upperThreshold: number;
  lowerThreshold: number;
}

/**
 * What one text gives: parts of a snapshot, and for --thresholds the real servers' thresholds, which
 * belong in the config but come without the weights and methods a config needs; combineReadings
 * applies them to the config another reading gave.
 */
export type DirectorReading = Partial<DirectorSnapshot> & { realServerThresholds?: ThresholdReading[] };
