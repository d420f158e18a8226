/** What a check concluded. Every verdict says what was expected, what was seen, and examples. */
export interface Verdict {
  /** Name of the check plugin that gave it. */
  check: string;
  status: 'pass' | 'fail' | 'error';
  expected: string;
  seen: string;
  /** A few offending clients, at most a handful: enough to reproduce by hand. */
  examples: VerdictExample[];
  /** Check-specific figures (p-value, counts, ...), JSON-safe. */
  data?: Record<string, unknown>;
}

export interface VerdictExample {
  client: string;
  detail: string;
}

/** What a plugin's `verdict` hook returns; the driver adds the check name and the status. */
export interface CheckOutcome {
  pass: boolean;
  expected: string;
  seen: string;
  examples?: VerdictExample[];
  data?: Record<string, unknown>;
}
