import { expect } from 'chai';
import { isHarnessError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { checkKernelEnvironment } from '../../../src/lab/kernel/environment.js';

describe('kernel lab: environment check', () => {
  it('refuses to run without root, with exit code 15 and what to do', () => {
    try {
      checkKernelEnvironment(1000);
      expect.fail('no error');
    } catch (e) {
      if (!isHarnessError(e)) throw e;
      expect(e.exitCode).to.equal(ExitCode.InvalidEnvironment);
      expect(e.message).to.match(/^the kernel lab cannot run here: root/);
      expect(e.hint).to.include('Run as root');
      // Whatever else is missing on this machine is named with its Debian package.
      if (e.message.includes('qemu-system-x86_64')) expect(e.hint).to.include('apt-get install -y qemu-system-x86');
    }
  });
});
