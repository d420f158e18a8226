/**
 * The few printf conversions ab's report uses, reproduced exactly: `%Nd`/`%Nld` (right-aligned integers)
 * and `%.Nf` (glibc rounds an exact binary tie to even; JS toFixed rounds it up, so ties are fixed here).
 */

/** `%<width>d`: right-align an integer in `width` columns (wider values are not cut, like printf). */
export function cInt(value: number, width = 0): string {
  return String(Math.trunc(value)).padStart(width, ' ');
}

/** `%<width>.<digits>f` with glibc's round-half-even on values that are exact binary ties. */
export function cFixed(value: number, digits: number, width = 0): string {
  return fixedHalfEven(value, digits).padStart(width, ' ');
}

function fixedHalfEven(value: number, digits: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  const abs = Math.abs(value);
  const floor = Math.floor(abs * 10 ** digits);
  // An exact tie is (2n+1) / (2 * 10^d). It is a finite binary fraction only if 5^d divides 2n+1, and
  // then (2n+1)/5^d / 2^(d+1) is computed exactly; anything else is not a tie and toFixed is right.
  const odd = 2 * floor + 1;
  const five = 5 ** digits;
  const isTie = odd % five === 0 && odd / five / 2 ** (digits + 1) === abs;
  if (isTie && floor % 2 === 0) {
    const text = (floor / 10 ** digits).toFixed(digits);
    return value < 0 ? `-${text}` : text;
  }
  return value.toFixed(digits);
}
