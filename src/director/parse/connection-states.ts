/**
 * The state names the kernel prints in /proc/net/ip_vs_conn (and so in `ipvsadm -Lcn`), per protocol:
 * ip_vs_state_name (ip_vs_proto.c) takes a template's from ip_vs_ctpl_state_name_table, a
 * connection's from its protocol's table (tcp_state_name_table, udp_state_name_table,
 * sctp_state_name_table), and prints NONE for a non-template of protocol IP. The tables' "BUG!"
 * slot and the "ERR!"/"?" of an out-of-range state are a kernel fault, not a state, and are refused.
 */

/** ip_vs_ctpl_state_name_table (ASSURED since kernel 5.x): a template of any protocol. */
export const TEMPLATE_STATES: readonly string[] = ['NONE', 'ASSURED'];

const TCP_STATES = ['NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK'];
const UDP_STATES = ['UDP'];
/** The SCTP state machine of kernel 3.14 and later (ip_vs_proto_sctp.c). */
const SCTP_STATES = [
  'NONE', 'INIT1', 'INIT', 'C-SENT', 'C-REPLIED', 'C-WAIT', 'COOKIE', 'C-ECHOED', 'ESTABLISHED',
  'S-SENT', 'S-RECEIVED', 'S-ACK-SENT', 'REJECTED', 'CLOSED',
];

const STATES: Readonly<Record<string, ReadonlySet<string>>> = {
  TCP: new Set([...TCP_STATES, ...TEMPLATE_STATES]),
  UDP: new Set([...UDP_STATES, ...TEMPLATE_STATES]),
  SCTP: new Set([...SCTP_STATES, ...TEMPLATE_STATES]),
  IP: new Set(TEMPLATE_STATES),
};

/** Whether the kernel prints `state` for an entry of `protocol` (TCP, UDP, SCTP, IP). */
export function isKernelState(protocol: string, state: string): boolean {
  return STATES[protocol]?.has(state) === true;
}

/** The names the kernel prints for `protocol`, for an error message. */
export function kernelStates(protocol: string): string[] {
  return [...(STATES[protocol] ?? [])];
}
