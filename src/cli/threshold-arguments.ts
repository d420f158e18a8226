import { createBadArgumentError } from '../core/errors.js';
import { parseThresholdArgument, ThresholdSyntaxError, type Threshold } from '../thresholds/parse.js';

/** `--threshold METRIC:EXPR` values of run and bench; a bad one is named in the error, before any traffic. */
export function parseThresholdArguments(values: readonly string[]): Threshold[] {
  return values.map((text) => {
    try {
      return parseThresholdArgument(text);
    } catch (e) {
      if (e instanceof ThresholdSyntaxError) throw createBadArgumentError(`--threshold '${text}'`, e.message);
      throw e;
    }
  });
}
