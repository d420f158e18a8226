/**
 * `k8s-job`: the manifests pass Kubernetes' own API schema (kubernetes-models validates against the
 * OpenAPI schema of the Kubernetes release it was built from, offline), and each pod runs its shard.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { parseAllDocuments } from 'yaml';
import { k8sJobCommand } from '../../src/cli/k8s-job-command.js';
import { isHarnessError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

type Manifest = { kind: string; metadata: { name: string }; spec?: Record<string, any>; data?: Record<string, string> };

/** Validates one object with the kubernetes-models class of its kind; throws what the schema says. */
function validate(m: Manifest): void {
  const models: Record<string, new (data: any) => { validate(): void }> = { Job, ConfigMap, PersistentVolumeClaim };
  const Model = models[m.kind];
  if (!Model) throw new Error(`no model for ${m.kind}`);
  new Model(m).validate();
}

async function manifests(args: string[]): Promise<Manifest[]> {
  const out = path.join(tempDir('lvs-k8s-'), 'job.yaml');
  expect(await k8sJobCommand([...args, '--out', out], { stdout: new PassThrough() })).to.equal(0);
  return parseAllDocuments(readFileSync(out, 'utf8')).map((d) => d.toJS() as Manifest);
}

async function exitCode(args: string[]): Promise<string> {
  try {
    return String(await k8sJobCommand(args, { stdout: new PassThrough() }));
  } catch (e) {
    return isHarnessError(e) ? `${e.exitCode} ${e.message}` : String(e);
  }
}

describe('k8s-job', () => {
  it('writes a ConfigMap with the suite, a results claim and an Indexed Job that pass the Kubernetes API schema', async () => {
    const list = await manifests(['suites/pcc.yaml', '--parallelism', '4', '--image', 'registry.example/lvs-harness:0.1.0', '--start-at', new Date(Date.now() + 600_000).toISOString()]);
    expect(list.map((m) => m.kind)).to.deep.equal(['ConfigMap', 'PersistentVolumeClaim', 'Job']);
    for (const m of list) validate(m);
    const [configMap, claim, job] = list as [Manifest, Manifest, Manifest];
    expect(configMap.data!['pcc.yaml']).to.equal(readFileSync('suites/pcc.yaml', 'utf8'));
    expect(claim.spec!.accessModes).to.deep.equal(['ReadWriteMany']);
    expect(job.spec).to.include({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const pod = job.spec!.template.spec;
    const command = pod.containers[0].command.join(' ');
    expect(command).to.match(/lvs-harness run --lab none --shard "\$JOB_COMPLETION_INDEX\/4" --start-at \d{4}-\d\d-\d\dT[\d:.]+Z --results "\/results\/shard-\$JOB_COMPLETION_INDEX" \/etc\/lvs-harness\/pcc.yaml/);
    expect(pod.volumes.map((v: any) => v.configMap?.name ?? v.persistentVolumeClaim?.claimName)).to.deep.equal([configMap.metadata.name, claim.metadata.name]);
  });

  it('uses an existing claim when given one, and the schema rejects what Kubernetes would', async () => {
    const list = await manifests(['suites/ppc.yaml', '--parallelism', '2', '--claim', 'shared-results', '--lab', 'embedded']);
    expect(list.map((m) => m.kind)).to.deep.equal(['ConfigMap', 'Job']);
    for (const m of list) validate(m);
    const job = list[1]!;
    expect(() => validate({ ...job, spec: { ...job.spec, completions: 'two' } })).to.throw(/completions must be integer/);
    expect(() => validate({ ...job, spec: { ...job.spec, completionMode: 'Sharded' } })).to.throw(/completionMode/);
  });

  it('each pod runs its own shard; a shard whose own part fails a check (10) still completes, anything else fails the pod', async () => {
    const [, , job] = await manifests(['suites/pcc.yaml', '--parallelism', '4']);
    const script = job!.spec!.template.spec.containers[0].command[2] as string;
    const bin = tempDir('lvs-k8s-bin-');
    // A stand-in for the image's lvs-harness: prints its arguments, exits with $CODE.
    writeFileSync(path.join(bin, 'lvs-harness'), '#!/bin/sh\necho "$@"\nexit "$CODE"\n');
    chmodSync(path.join(bin, 'lvs-harness'), 0o755);
    const pod = (code: number) =>
      spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin`, JOB_COMPLETION_INDEX: '2', CODE: String(code) }, encoding: 'utf8' });
    const ran = pod(10);
    expect(ran.stdout).to.match(/^run --lab none --shard 2\/4 --start-at \S+ --results \/results\/shard-2 \/etc\/lvs-harness\/pcc.yaml\n$/);
    expect(ran.status).to.equal(0);
    expect(pod(0).status).to.equal(0);
    expect(pod(11).status).to.equal(11);
    expect(pod(12).status).to.equal(12);
  });

  it('refuses, before writing anything, what could not run (exit 11)', async () => {
    expect(await exitCode(['suites/pcc.yaml'])).to.match(/^11 --parallelism: expected the number of shards/);
    expect(await exitCode(['suites/pcc.yaml', '--parallelism', '0'])).to.match(/^11 --parallelism/);
    expect(await exitCode(['suites/drain.yaml', '--parallelism', '2'])).to.match(/^11 --shard: expected a suite without changes/);
    expect(await exitCode(['suites/pcc.yaml', '--parallelism', '201'])).to.match(/^11 --shard: expected at most as many shards/);
    expect(await exitCode(['suites/pcc.yaml', '--parallelism', '2', '--start-at', 'noon'])).to.match(/^11 --start-at/);
    expect(await exitCode(['suites/pcc.yaml', '--parallelism', '2', '--claim', 'Bad_Name'])).to.match(/^11 --claim/);
    // Only the suite goes into the ConfigMap: a keepalived.conf it names would be missing in the pods.
    expect(await exitCode(['suites/keepalived-pcc.yaml', '--parallelism', '2'])).to.match(/^11 k8s-job: expected a suite that names no other file \(suites\/keepalived-pcc\.yaml names its service\.keepalived file;/);
  });
});
