/**
 * A sharded run as Kubernetes objects: the suite in a ConfigMap, a volume for the results, and an
 * Indexed Job whose pod k runs `lvs-harness run --shard k/N` (k from JOB_COMPLETION_INDEX), all
 * starting their traffic at one time and writing to /results/shard-k, where `merge` reads them.
 */

export interface IndexedJobInput {
  /** DNS-1123 name for every object. */
  name: string;
  suiteText: string;
  /** The file name the suite has in the pods (its name in the ConfigMap). */
  suiteFile: string;
  parallelism: number;
  image: string;
  startAt: string;
  lab: 'none' | 'embedded';
  /** An existing ReadWriteMany claim for the results; a new one is written when absent. */
  claim?: string;
  storage: string;
}

export const RESULTS_PATH = '/results';
const SUITE_PATH = '/etc/lvs-harness';

/** The pod's shell command: exit 10 is the shard's own part failing a check, which only merge judges. */
export function shardScript(input: IndexedJobInput): string {
  const run = [
    'lvs-harness run',
    `--lab ${input.lab}`,
    `--shard "$JOB_COMPLETION_INDEX/${input.parallelism}"`,
    `--start-at ${input.startAt}`,
    `--results "${RESULTS_PATH}/shard-$JOB_COMPLETION_INDEX"`,
    `${SUITE_PATH}/${input.suiteFile}`,
  ].join(' ');
  return `${run}; code=$?; if [ "$code" -eq 10 ]; then exit 0; fi; exit "$code"`;
}

export function indexedJobManifests(input: IndexedJobInput): Array<Record<string, unknown>> {
  const labels = { 'app.kubernetes.io/name': 'lvs-harness', 'app.kubernetes.io/instance': input.name };
  const claimName = input.claim ?? `${input.name}-results`;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${input.name}-suite`, labels },
    data: { [input.suiteFile]: input.suiteText },
  };
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName, labels },
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: input.storage } } },
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: input.name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: input.parallelism,
      parallelism: input.parallelism,
      // A shard run twice would send its clients' traffic twice: a failed index stays failed.
      backoffLimitPerIndex: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'shard',
              image: input.image,
              command: ['/bin/sh', '-c', shardScript(input)],
              volumeMounts: [
                { name: 'suite', mountPath: SUITE_PATH, readOnly: true },
                { name: 'results', mountPath: RESULTS_PATH },
              ],
            },
          ],
          volumes: [
            { name: 'suite', configMap: { name: configMap.metadata.name } },
            { name: 'results', persistentVolumeClaim: { claimName } },
          ],
        },
      },
    },
  };
  return input.claim ? [configMap, job] : [configMap, claim, job];
}
