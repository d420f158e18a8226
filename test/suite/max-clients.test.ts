import { expect } from 'chai';
import { isHarnessError } from '../../src/core/errors.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { limitClients, parseMaxClients } from '../../src/suite/max-clients.js';

describe('--max-clients', () => {
  const suite = { name: 's', sources: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] } as LoadedSuite;

  it('keeps the first N addresses of the pool, and a smaller pool as it is', () => {
    expect(limitClients(2)(suite).sources).to.deep.equal(['127.0.0.2', '127.0.0.3']);
    expect(limitClients(5)(suite)).to.equal(suite);
    expect(limitClients(undefined)(suite)).to.equal(suite);
  });

  it('takes a whole number from 1, else exit 11 naming the option', () => {
    expect(parseMaxClients('24')).to.equal(24);
    expect(parseMaxClients(undefined)).to.equal(undefined);
    for (const bad of ['0', '-3', '2.5', 'many']) {
      try {
        parseMaxClients(bad);
        expect.fail(`accepted ${bad}`);
      } catch (e) {
        if (!isHarnessError(e)) throw e;
        expect(e.exitCode).to.equal(ExitCode.InvalidInput);
        expect(e.message).to.include('--max-clients');
      }
    }
  });
});
