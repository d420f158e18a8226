#!/usr/bin/env bash
# CI's kernel tier: the suites against real Linux IPVS in a qemu guest (src/lab/kernel). Installs
# the Debian packages the kernel lab needs when root, then runs the kernel-tier tests. In a
# container, linux-image-amd64 only drops the kernel and its modules into /boot and /lib/modules,
# which is all the lab needs: the guest boots that kernel and shares the host's root read-only.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  ls /lib/modules/*/kernel/net/netfilter/ipvs/ip_vs.ko >/dev/null 2>&1 || missing+=(linux-image-amd64)
  [ -x /bin/busybox ] && ! grep -q ld-linux /bin/busybox || missing+=(busybox-static)
  command -v ipvsadm >/dev/null || missing+=(ipvsadm)
  command -v nft >/dev/null || missing+=(nftables)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v vsftpd >/dev/null || missing+=(vsftpd)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v sysctl >/dev/null || missing+=(procps)
  command -v modprobe >/dev/null || missing+=(kmod)
  command -v keepalived >/dev/null || missing+=(keepalived)
  if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # nginx, vsftpd and keepalived run inside the guest only: their packages must not start them on this host.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

[ -d node_modules ] || npm ci --no-audit --no-fund
# The root hook of test/helpers/temp-dir.ts removes the folders the tests made, as in `npm test`.
LVS_KERNEL_LAB=1 npx mocha --no-config --import=tsx --require test/helpers/temp-dir.ts --exit test/kernel/kernel-lab.test.ts test/kernel/keepalived-lab.test.ts test/kernel/change-agreement.test.ts test/kernel/change-actions.test.ts test/kernel/kernel-shards.test.ts
