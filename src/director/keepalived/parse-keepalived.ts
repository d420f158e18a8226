/**
 * keepalived.conf -> keepalived's view of its virtual servers. Everything outside the LVS part
 * (global_defs, vrrp_*, static_*, ...) is skipped by block; it must still be well formed.
 */
import { parseBlocks } from './blocks.js';
import { readGroup } from './group.js';
import type { KeepalivedConfig, KeepalivedEndpoint } from './model.js';
import { keepalivedError } from './problems.js';
import { readConfigTokens, type ReadOptions } from './read-files.js';
import { readVirtualServer } from './virtual-server.js';

export async function parseKeepalivedFile(file: string, options: ReadOptions = {}): Promise<KeepalivedConfig> {
  const { tokens, files, warnings } = await readConfigTokens(file, options);
  const statements = parseBlocks(tokens);
  const groups = new Map<string, KeepalivedEndpoint[]>();
  for (const s of statements.filter((st) => st.keyword.text === 'virtual_server_group')) {
    const group = readGroup(s, warnings);
    if (groups.has(group.name)) throw keepalivedError(s.args[0]!, 'virtual_server_group', `a name not used twice (${group.name})`);
    if (group.endpoints.length > 0) groups.set(group.name, group.endpoints);
  }
  const virtualServers = [];
  for (const s of statements.filter((st) => st.keyword.text === 'virtual_server')) {
    const vs = readVirtualServer(s, groups, warnings);
    if (vs) virtualServers.push(vs);
  }
  return { files, virtualServers, warnings };
}
