import { expect } from 'chai';
import { isHarnessError } from '../../src/core/errors.js';
import { splitCommandPrefix } from '../../src/director/command-prefix.js';
import { runDirectorCommand } from '../../src/director/director-command.js';

describe('--director: the command prefix and its commands', () => {
  it('splits a prefix as a shell would, quotes and backslashes respected; local is no prefix', () => {
    expect(splitCommandPrefix('local')).to.deep.equal([]);
    expect(splitCommandPrefix('ssh root@lvs1')).to.deep.equal(['ssh', 'root@lvs1']);
    expect(splitCommandPrefix('  ip netns exec director ')).to.deep.equal(['ip', 'netns', 'exec', 'director']);
    expect(splitCommandPrefix('kubectl exec -n kube-system ds/kube-proxy --')).to.deep.equal(['kubectl', 'exec', '-n', 'kube-system', 'ds/kube-proxy', '--']);
    expect(splitCommandPrefix(`ssh -o 'ProxyJump bastion' "-i" "~/.ssh/a \\"b\\"" x\\ y ''`)).to.deep.equal(['ssh', '-o', 'ProxyJump bastion', '-i', '~/.ssh/a "b"', 'x y', '']);
  });

  it('refuses an unclosed quote, a trailing backslash and an empty prefix (exit 11)', () => {
    for (const bad of [`ssh 'root@lvs1`, 'ssh root\\', '   ']) {
      expect(() => splitCommandPrefix(bad)).to.throw(/--director: expected/);
    }
  });

  it('says which command failed, its exit status and what it printed (exit 15)', async () => {
    const failure = await runDirectorCommand(['sh', '-c', 'echo "Can\'t initialize ipvs: Protocol not available" >&2; exit 3']).catch((e: unknown) => e);
    expect(isHarnessError(failure) && failure.exitCode).to.equal(15);
    expect((failure as Error).message).to.equal(
      "reading the director: `sh -c 'echo \"Can'\\''t initialize ipvs: Protocol not available\" >&2; exit 3'` exited with status 3:\nCan't initialize ipvs: Protocol not available",
    );
    const missing = await runDirectorCommand(['lvs-harness-no-such-command', 'ipvsadm']).catch((e: unknown) => e);
    expect((missing as Error).message).to.match(/^reading the director: `lvs-harness-no-such-command ipvsadm` could not be started \(ENOENT: /);
  });
});
