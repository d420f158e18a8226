import { expect } from 'chai';
import { HarnessError } from '../../src/core/errors.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { suiteView } from '../../src/runner/run-suite.js';
import { parseSuite } from '../../src/suite/load-suite.js';

const SUITE = `vip: 127.0.0.100
service:
  kind: pcc
  port: 0
  persistence: { timeout: 1000 }
  realServers:
    - { name: web1, address: 127.0.1.1 }
probes:
  - name: telnet
    type: telnet
    port: 2323
    login: { username: lab, password: s3cret }
    identify: { command: hostname }
clients:
  sources: 127.0.0.2-127.0.0.9
`;

async function expectedAt(text: string): Promise<string[]> {
  try {
    await parseSuite(text, 'bad.yaml', resolveCheck);
  } catch (e) {
    expect(e).to.be.instanceOf(HarnessError);
    return (e as HarnessError).problems.map((p) => `${p.line}:${p.column} ${p.field}: ${p.expected}`);
  }
  throw new Error('the suite was accepted');
}

describe('telnet probe schema', () => {
  it('fills in the prompts, the logout command and the timeout', async () => {
    const s = await parseSuite(SUITE, 'ok.yaml', resolveCheck);
    expect(s.spec.probes[0]).to.deep.include({
      loginPrompt: '[Ll]ogin[: ]*$',
      passwordPrompt: '[Pp]assword[: ]*$',
      shellPrompt: '[$#>%] ?$',
      logout: 'exit',
      timeoutSeconds: 5,
    });
  });

  it('hands plugins a suite view without the password', async () => {
    const s = await parseSuite(SUITE, 'ok.yaml', resolveCheck);
    expect(suiteView(s, "embedded").probes[0]).to.deep.include({ login: { username: 'lab', password: '(redacted)' } });
    expect(JSON.stringify(suiteView(s, "embedded"))).not.to.contain('s3cret');
    expect(s.spec.probes[0]).to.deep.include({ login: { username: 'lab', password: 's3cret' } });
  });

  it('wants at most one of password and passwordEnv, and the variable set', async () => {
    expect(await expectedAt(SUITE.replace('password: s3cret', 'password: s3cret, passwordEnv: PW'))).to.deep.equal([
      '12:12 probes[0].login: either password or passwordEnv, not both',
      '12:60 probes[0].login.passwordEnv: an environment variable that is set (PW is not)',
    ]);
    expect(await expectedAt(SUITE.replace('password: s3cret', 'passwordEnv: 1PW'))).to.deep.equal([
      '12:42 probes[0].login.passwordEnv: an environment variable name such as LAB_PASSWORD',
    ]);
  });

  it('wants exactly one way to identify the server, and output only with a command', async () => {
    const [both] = await expectedAt(SUITE.replace('{ command: hostname }', "{ command: hostname, banner: '(\\w+)' }"));
    expect(both).to.match(/^13:15 probes\[0\]\.identify: exactly one of banner .* prompt .* or command/);
    expect(await expectedAt(SUITE.replace('{ command: hostname }', "{ prompt: '(\\w+)', output: x }"))).to.deep.equal([
      '13:42 probes[0].identify.output: output only with command',
    ]);
    expect(await expectedAt(SUITE.replace('{ command: hostname }', "{ prompt: '(' }"))).to.deep.equal([
      '13:25 probes[0].identify.prompt: a valid JavaScript regular expression',
    ]);
  });
});
