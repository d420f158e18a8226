/**
 * A `real_server IP [PORT] { ... }` block: weight (keepalived's default the virtual server's `weight`,
 * else 1; range 0..2^31-1),
 * its own lvs_method, inhibit_on_failure, and its health checkers.
 */
import type { Statement } from './blocks.js';
import { CHECKERS, readChecker, readTiming, type CheckerDefaults } from './checker.js';
import type { KeepalivedMethod, KeepalivedRealServer } from './model.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import { argsOf, named, readBool, readInt, readIpv4, readPort } from './values.js';

export const WEIGHT_MAX = 2147483647;
/** Options read for shape only: they do not change the table keepalived programs. */
const OTHER = ['notify_up', 'notify_down', 'uthreshold', 'lthreshold', 'smtp_alert', 'virtualhost', 'snmp_name', 'alpha', 'warmup'];

export function readMethod(s: Statement): KeepalivedMethod {
  const [m] = argsOf(s, 1, 6, 'NAT, DR or TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]');
  if (m!.text !== 'NAT' && m!.text !== 'DR' && m!.text !== 'TUN') {
    throw keepalivedError(m!, named(s), `NAT, DR or TUN, not '${m!.text}' (keepalived: unknown routing method)`);
  }
  if (m!.text !== 'TUN' && s.args.length > 1) throw keepalivedError(s.args[1]!, named(s), 'nothing after NAT or DR');
  return m!.text;
}

export interface RealServerContext {
  inherited: CheckerDefaults;
  inhibitOnFailure: boolean;
  /** The virtual server's `weight`, else keepalived's 1. */
  weight: number;
  warnings: KeepalivedWarning[];
}

/** `method` is undefined when neither the server nor (so far) its virtual server set one. */
export function readRealServer(s: Statement, ctx: RealServerContext): Omit<KeepalivedRealServer, 'method'> & { method?: KeepalivedMethod } {
  const [ip, port] = argsOf(s, 1, 2, 'an address and an optional port: real_server 10.0.0.1 80');
  const rs: Omit<KeepalivedRealServer, 'method'> & { method?: KeepalivedMethod } = {
    at: s.keyword,
    address: readIpv4(ip!, 'real_server'),
    port: readPort(port, 'real_server port'),
    weight: ctx.weight,
    inhibitOnFailure: ctx.inhibitOnFailure,
    checkers: [],
  };
  if (!s.block) throw keepalivedError(s.keyword, 'real_server', "a block: real_server 10.0.0.1 80 { weight 1 }");
  const timing: CheckerDefaults = { ...ctx.inherited };
  const checkerBlocks: Statement[] = [];
  for (const o of s.block) {
    const key = named(o);
    if (readTiming(o, timing)) continue;
    if (key === 'weight') rs.weight = readInt(argsOf(o, 1, 1, 'one weight')[0]!, 'weight', 0, WEIGHT_MAX);
    else if (key === 'lvs_method' || key === 'lb_kind') rs.method = readMethod(o);
    else if (key === 'inhibit_on_failure') rs.inhibitOnFailure = readBool(o);
    else if (CHECKERS.includes(key)) checkerBlocks.push(o);
    else if (!OTHER.includes(key)) throw keepalivedError(o.keyword, key, 'a real_server option (keepalived: Unknown keyword)');
  }
  // A checker takes the real server's timing wherever in the block the server sets it.
  rs.checkers = checkerBlocks.map((c) => readChecker(c, timing, ctx.warnings));
  return rs;
}
