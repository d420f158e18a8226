/**
 * The only place check-plugin hooks are called. A hook that throws, or a verdict that does not settle
 * in time, becomes a PLUGIN_ERROR verdict naming the plugin and hook: the run goes on, the other
 * checks still give their verdicts, and the exit code says a plugin was at fault.
 */
import { createPluginError, type HarnessError } from '../core/errors.js';
import type { Observation } from '../model/observation.js';
import type { CheckHooks, SuiteView, VerdictInput } from '../model/plugin.js';
import type { Verdict } from '../model/verdict.js';
import type { ConfiguredCheck } from '../suite/load-suite.js';

const VERDICT_TIMEOUT_MS = 30_000;

interface Active {
  name: string;
  hooks: CheckHooks | null;
  failure: HarnessError | null;
}

/** Each check's sizing problem for the suite, before traffic; a sizing hook that throws is the plugin's error. */
export function sizingProblems(checks: readonly ConfiguredCheck[], suite: SuiteView): Array<{ check: string; problem: string }> {
  const problems: Array<{ check: string; problem: string }> = [];
  for (const { plugin, options } of checks) {
    let problem: string | null;
    try {
      problem = plugin.sizing?.(options, suite) ?? null;
    } catch (e) {
      throw createPluginError(plugin.name, 'sizing', e);
    }
    if (problem !== null) problems.push({ check: plugin.name, problem });
  }
  return problems;
}

export class PluginDriver {
  private readonly active: Active[];

  constructor(checks: readonly ConfiguredCheck[], suite: SuiteView) {
    this.active = checks.map(({ plugin, options }) => {
      try {
        return { name: plugin.name, hooks: plugin.create(options, suite), failure: null };
      } catch (e) {
        return { name: plugin.name, hooks: null, failure: createPluginError(plugin.name, 'create', e) };
      }
    });
  }

  observation(obs: Observation): void {
    for (const a of this.active) {
      if (!a.hooks?.observation || a.failure) continue;
      try {
        a.hooks.observation(obs);
      } catch (e) {
        a.failure = createPluginError(a.name, 'observation', e);
      }
    }
  }

  async verdicts(input: VerdictInput): Promise<{ verdicts: Verdict[]; failures: HarnessError[] }> {
    const verdicts: Verdict[] = [];
    const failures: HarnessError[] = [];
    for (const a of this.active) {
      const failure = a.failure ?? (await this.callVerdict(a, input, verdicts));
      if (failure) {
        failures.push(failure);
        verdicts.push({ check: a.name, status: 'error', expected: 'a verdict', seen: failure.message, examples: [] });
      }
    }
    return { verdicts, failures };
  }

  private async callVerdict(a: Active, input: VerdictInput, out: Verdict[]): Promise<HarnessError | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        Promise.resolve().then(() => a.hooks!.verdict(input)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not settle within ${VERDICT_TIMEOUT_MS / 1000} s`)), VERDICT_TIMEOUT_MS);
        }),
      ]);
      out.push({
        check: a.name,
        status: outcome.pass ? 'pass' : 'fail',
        expected: outcome.expected,
        seen: outcome.seen,
        examples: (outcome.examples ?? []).slice(0, 5),
        ...(outcome.data ? { data: outcome.data } : {}),
      });
      return null;
    } catch (e) {
      return createPluginError(a.name, 'verdict', e);
    } finally {
      clearTimeout(timer);
    }
  }
}
