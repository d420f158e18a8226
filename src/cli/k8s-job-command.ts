/**
 * `lvs-harness k8s-job SUITE --parallelism N [--image IMG] [--out FILE]`: writes the Kubernetes
 * objects that run SUITE as N shards at once (src/k8s/indexed-job.ts). The suite is loaded and checked
 * first, sized for the whole pool, so a wrong suite stops here rather than in N pods.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { createBadArgumentError, createUndersizedSuiteError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { indexedJobManifests } from '../k8s/indexed-job.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { sizingProblems } from '../runner/plugin-driver.js';
import { suiteView } from '../runner/run-suite.js';
import { shardSuite } from '../shard/shard-suite.js';
import { MAX_SHARDS } from '../shard/shard-spec.js';
import { parseStartAt } from '../shard/start-at.js';
import { loadSuite } from '../suite/load-suite.js';
import { builtInChecks } from '../../plugins/index.js';
import { packageVersion } from './package-info.js';
import { ensureWritableFile } from './output-paths.js';
import { parseOrExplain } from './parse-or-explain.js';
import { USAGE } from './usage.js';

/** When no --start-at is given: time enough to apply the manifests and pull the image. */
const DEFAULT_START_DELAY_S = 300;

export async function k8sJobCommand(args: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        parallelism: { type: 'string' },
        image: { type: 'string', default: `lvs-harness:${packageVersion()}` },
        out: { type: 'string' },
        'start-at': { type: 'string' },
        lab: { type: 'string', default: 'none' },
        claim: { type: 'string' },
        storage: { type: 'string', default: '1Gi' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  if (positionals.length !== 1) throw createBadArgumentError('k8s-job', 'exactly one suite file');
  const count = /^\d+$/.test(values.parallelism ?? '') ? Number(values.parallelism) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS)) throw createBadArgumentError('--parallelism', `the number of shards (pods), 1 to ${MAX_SHARDS} (not ${values.parallelism ?? 'given'})`);
  if (values.lab !== 'none' && values.lab !== 'embedded') throw createBadArgumentError('--lab', 'none (a real director, the default) or embedded (each pod its own lab: a smoke test)');
  if (values.claim !== undefined && !isDnsName(values.claim)) throw createBadArgumentError('--claim', `a PersistentVolumeClaim name (lower case, digits, '-'), not ${values.claim}`);
  if (!/^\d+(\.\d+)?(Ki|Mi|Gi|Ti)$/.test(values.storage)) throw createBadArgumentError('--storage', `a quantity such as 1Gi, not ${values.storage}`);
  const file = positionals[0]!;
  const suite = await loadSuite(file, resolveCheck);
  // Only the suite file goes into the ConfigMap: a file it names would be missing in every pod.
  const named = [...(suite.keepalived ? ['its service.keepalived file'] : []), ...suite.checks.filter((c) => builtInChecks.get(c.plugin.name) !== c.plugin).map((c) => `the check plugin file of ${c.plugin.name}`)];
  if (named.length > 0) throw createBadArgumentError('k8s-job', `a suite that names no other file (${file} names ${named.join(', ')}; only the suite goes into the ConfigMap)`);
  const problems = sizingProblems(suite.checks, suiteView(suite, values.lab));
  if (problems.length > 0) throw createUndersizedSuiteError(file, problems);
  for (let index = 0; index < count; index++) shardSuite(suite, { index, count });
  const startAtMs = parseStartAt(values['start-at']) ?? Math.ceil(Date.now() / 1000 + DEFAULT_START_DELAY_S) * 1000;
  const name = values.name ?? `lvs-harness-${suite.name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52);
  if (!isDnsName(name)) throw createBadArgumentError('--name', `a name of lower case letters, digits and '-' (not ${name})`);
  if (values.out !== undefined) ensureWritableFile('--out', values.out);
  const manifests = indexedJobManifests({
    name,
    suiteText: await readFile(file, 'utf8'),
    suiteFile: path.basename(file),
    parallelism: count,
    image: values.image,
    startAt: new Date(startAtMs).toISOString(),
    lab: values.lab,
    storage: values.storage,
    ...(values.claim !== undefined ? { claim: values.claim } : {}),
  });
  const text = manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
  if (values.out === undefined) io.stdout.write(text);
  else await writeFile(values.out, text);
  return ExitCode.Passed;
}

function isDnsName(s: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s);
}
