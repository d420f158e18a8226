import { expect } from 'chai';
import { ftpProbe } from '../../src/suite/probes/ftp.js';

const base = { name: 'f', type: 'ftp', port: 22021, passivePorts: '22100-22109', identify: { file: 'whoami.txt' } };
const messages = (input: unknown): string[] => {
  const r = ftpProbe.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('FTP probe schema', () => {
  it('fills the defaults: passive, anonymous, LIST only', () => {
    expect(ftpProbe.parse(base)).to.deep.include({ mode: 'passive', login: { username: 'anonymous' }, transfers: { list: true } });
  });

  it('needs a passive range for passive mode, small and without the control port', () => {
    expect(messages({ ...base, passivePorts: undefined })).to.deep.equal(["passivePorts: the servers' passive port range (e.g. 10001-10010) for a passive-mode probe"]);
    expect(messages({ ...base, mode: 'active', passivePorts: undefined })).to.deep.equal([]);
    expect(messages({ ...base, passivePorts: '22100-22300' })).to.deep.equal(['passivePorts: at most 100 ports']);
    expect(messages({ ...base, passivePorts: '22020-22030' })).to.deep.equal(['passivePorts: a range without the control port']);
  });

  it('takes one way to identify and one source of the password, which must be set', () => {
    expect(messages({ ...base, identify: { file: 'a', greeting: 'b' } })[0]).to.match(/^identify: exactly one of greeting/);
    expect(messages({ ...base, login: { username: 'u', password: 'a', passwordEnv: 'B' } })[0]).to.equal('login: either password or passwordEnv, not both');
    expect(messages({ ...base, login: { username: 'u', passwordEnv: 'LVS_HARNESS_UNSET_FOR_TEST' } })[0]).to.match(/LVS_HARNESS_UNSET_FOR_TEST is not/);
    expect(messages({ ...base, transfers: { retr: 'a\r\nDELE b' } })[0]).to.match(/without line breaks/);
  });
});
