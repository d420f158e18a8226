export const USAGE = `Usage:
  lvs-harness run [options] <suite.yaml...>   run suites, print verdicts, exit with a code below
  lvs-harness lab up <suite.yaml>             start the embedded lab for a suite until Ctrl-C
  lvs-harness lab up --kernel <suite.yaml>    boot the kernel lab for a suite, with a shell in its client host
                                              (both take --keepalived-id NAME, as run does)
  lvs-harness bench [ab options] <URL>        ApacheBench-style load test (see lvs-harness bench -h)
  lvs-harness director show FILE... [--json]  read saved director outputs (ipvsadm -S -n, -Ln and its
                                              --stats/--rate/... variants, -Lcn, --timeout, /proc/net/ip_vs*,
                                              sysctl net.ipv4.vs) as one director: ipvsadm -Ln layout or JSON;
                                              --hz N: the kernel's CONFIG_HZ for /proc/net/ip_vs (default 250)
  lvs-harness director show --director CMD [--json]   read a live director through a command prefix
  lvs-harness init [FILE]                     write a commented starter suite (default: suite.yaml)
  lvs-harness --version                       print the version
  lvs-harness compare <BASE> <NEW>            two runs side by side (results folders, results.json or
                                              bench --json files), with a test per difference
  lvs-harness merge DIR... [--results OUT]    the shards of one run (run --shard results folders, or
                                              bench --shard --json files) as one run: verdicts judged
                                              again over the union, histograms merged without loss
  lvs-harness k8s-job SUITE --parallelism N   write a Kubernetes Indexed Job running SUITE as N shards
          [--image IMG] [--out FILE]          (README "Scale out"; also --start-at, --lab, --claim,
                                              --storage, --name)

Options of run:
  --lab embedded|none     embedded: start the userspace IPVS lab the suite describes (default)
                          none: send traffic to the suite's VIP as it is (a real director)
  --lab kernel            boot a qemu guest with Debian's kernel and run the suites there against
                          real IPVS (root; 127.a.b.c runs as 10.a.b.c for clients, 100.(64+a).b.c
                          for the VIP and real servers)
  --director CMD          with --lab none: read the director before and after each suite through
                          this command prefix ('ssh root@lvs1', 'ip netns exec director',
                          'kubectl exec -n kube-system ds/kube-proxy --', or local): it runs
                          ipvsadm -S -n, -Ln --stats --exact, -Lcn, -L --timeout, sysctl net.ipv4.vs;
                          the suite's changes: (weight, remove, add, sysctl, apply) run through it
                          too, each printed before it runs (stop/start of a real server: --manual)
  --director-config FILE  set the lab's director up from an \`ipvsadm -S -n\` dump instead of the suite
  --fwmark-rules FILE     fwmark rules beside that dump, one a line: MARK tcp|udp VIP PORTS
  --keepalived-id NAME    the director's keepalived config id (its keepalived -i NAME, else its short
                          host name): a keepalived.conf's @NAME lines are read, @^NAME lines not;
                          needed when the suite's or --director-config's keepalived.conf has @ lines
  --max-clients N         run each suite with the first N addresses of its source pool only
                          (sizes the tutorial suites down for the slow kernel lab)
  --manual                with --lab none: make the suite's changes: by hand; at each one's time the
                          harness shows the commands and waits for Enter, and marks the change then
  --reporter NAME[:FILE]  spec (default, to stdout), junit:FILE, ndjson:FILE; repeatable
  --results DIR           where run folders go (default: results)
  --verbose               also print the lab's ipvsadm listing
  --address-offset N      embedded lab: move every 127.a.b.c address of the suites to 127.(a+N).b.c,
                          so two runs (or a run and a lab up) on one host do not collide
  -h, --help              print this help
  --shard i/N             run part i (0..N-1) of the run split N ways: a block of each suite's source
                          pool (each client's traffic in one shard) and of its bench step; merge the
                          N results folders with lvs-harness merge
  --start-at TIME         begin each suite's traffic at TIME (ISO with a zone, or epoch seconds; within
                          an hour of now), so shards on several hosts start together
  --shards N              kernel lab, one suite: run it whole, then on a fresh director as N shards
                          from N client namespaces started together, merged with the shared
                          director's readings (results folders of both, and of each shard)
  --threshold 'METRIC:EXPR'  fail the run (exit 10) unless the figures meet it, e.g.
                          'latency.total:p(99)<50' (ms), 'failed:rate<0.01', 'rps:value>100',
                          'share:deviation<5' (pp), scoped 'latency.total{server:web1}:max<200' or
                          '{probe:http}'; repeatable, beside the suites' own thresholds

Options of merge:
  --results DIR           where the merged run's folder goes (default: results)
  --reporter, --threshold, --verbose   as for run
  --json FILE             bench shards: write the merged result as JSON

Options of compare:
  --max-regression K=V    budget, exit 10 when breached: [connect.|firstByte.|total.]p50|p90|p99|max|avg
                          =N% or Nms, rps=N% (drop), failed=Npp, share=Npp; repeatable
  --alpha A               significance level of the tests (default 0.01)
  --json                  the comparison as JSON instead of text tables

Exit codes:
  0   every check passed
  10  a check failed
  11  invalid input: a suite file or argument is wrong, or a suite too small to confirm its checks (nothing was sent)
  12  the target was unreachable: no connection to the VIP succeeded (bench: the run broke off)
  13  aborted by Ctrl-C or SIGTERM (results so far are written)
  14  a check plugin failed (threw or never settled)
  15  invalid environment: the lab cannot run on this machine
`;
