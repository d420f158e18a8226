/**
 * keepalived's virtual servers written back as a keepalived.conf, with every default made explicit:
 * what the kernel lab hands to a real keepalived once the addresses are moved into the guest. A
 * virtual server of several endpoints becomes a virtual_server_group of its own.
 */
import type { KeepalivedChecker, KeepalivedEndpoint, KeepalivedRealServer, KeepalivedVirtualServer } from './model.js';

function endpointLine(e: KeepalivedEndpoint): string {
  return 'fwmark' in e ? `fwmark ${e.fwmark}` : `${e.address} ${e.port}`;
}

function checkerLines(c: KeepalivedChecker): string[] {
  const options: Array<[string, string | number | undefined]> = [
    ['connect_ip', c.connectIp],
    ['connect_port', c.connectPort],
    ['connect_timeout', c.connectTimeout],
    ['delay_loop', c.delayLoop],
    ['retry', c.retry],
    ['delay_before_retry', c.delayBeforeRetry],
    ['misc_path', c.miscPath === undefined ? undefined : JSON.stringify(c.miscPath)],
  ];
  const urls = c.urls.flatMap((u) => [
    '      url {',
    `        path ${u.path}`,
    ...(u.statusCodes ? [`        status_code ${u.statusCodes.join(' ')}`] : []),
    ...(u.digest ? [`        digest ${u.digest}`] : []),
    '      }',
  ]);
  return [`    ${c.type} {`, ...options.filter(([, v]) => v !== undefined).map(([k, v]) => `      ${k} ${v}`), ...urls, '    }'];
}

function realServerLines(rs: KeepalivedRealServer): string[] {
  return [
    `  real_server ${rs.address} ${rs.port} {`,
    `    weight ${rs.weight}`,
    `    lvs_method ${rs.method}`,
    ...(rs.inhibitOnFailure ? ['    inhibit_on_failure'] : []),
    ...rs.checkers.flatMap(checkerLines),
    '  }',
  ];
}

export function renderKeepalivedConf(virtualServers: readonly KeepalivedVirtualServer[]): string {
  const blocks = virtualServers.map((vs, i) => {
    const group = vs.endpoints.length > 1 ? `harness_group_${i + 1}` : null;
    const header = group ? `group ${group}` : endpointLine(vs.endpoints[0]!);
    const fwmark = vs.endpoints.every((e) => 'fwmark' in e);
    return [
      ...(group ? [`virtual_server_group ${group} {`, ...vs.endpoints.map((e) => `  ${endpointLine(e)}`), '}'] : []),
      `virtual_server ${header} {`,
      ...(fwmark ? [] : [`  protocol ${vs.protocol}`]),
      `  lvs_sched ${vs.scheduler}`,
      ...vs.flags.map((f) => `  ${f}`),
      `  lvs_method ${vs.method}`,
      ...(vs.persistenceTimeout > 0 ? [`  persistence_timeout ${vs.persistenceTimeout}`] : []),
      ...(vs.persistenceGranularity ? [`  persistence_granularity ${vs.persistenceGranularity}`] : []),
      `  delay_loop ${vs.delayLoop}`,
      `  quorum ${vs.quorum}`,
      `  hysteresis ${vs.hysteresis}`,
      ...(vs.alpha ? ['  alpha'] : []),
      ...(vs.omega ? ['  omega'] : []),
      ...(vs.haSuspend ? ['  ha_suspend'] : []),
      ...(vs.virtualhost ? [`  virtualhost ${vs.virtualhost}`] : []),
      ...(vs.sorryServer ? [`  sorry_server ${vs.sorryServer.address} ${vs.sorryServer.port}`] : []),
      ...vs.realServers.flatMap(realServerLines),
      '}',
    ].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
