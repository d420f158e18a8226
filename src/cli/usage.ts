export const USAGE = `Usage:
  lvs-harness run [options] <suite.yaml...>   run suites, print verdicts, exit with a code below
  lvs-harness lab up <suite.yaml>             start the embedded lab for a suite until Ctrl-C
  lvs-harness bench [ab options] <URL>        ApacheBench-style load test (see lvs-harness bench -h)

Options of run:
  --lab embedded|none     embedded: start the userspace IPVS lab the suite describes (default)
                          none: send traffic to the suite's VIP as it is (a real director)
  --reporter NAME[:FILE]  spec (default, to stdout), junit:FILE, ndjson:FILE; repeatable
  --results DIR           where run folders go (default: results)
  --verbose               also print the lab's ipvsadm listing

Exit codes:
  0   every check passed
  10  a check failed
  11  invalid input: a suite file or argument is wrong (nothing was sent)
  12  the target was unreachable: no connection to the VIP succeeded
  13  aborted by Ctrl-C or SIGTERM (results so far are written)
  14  a check plugin failed (threw or never settled)
  15  invalid environment: the lab cannot run on this machine
`;
