#!/usr/bin/env bash
# Install the packages of NetPulse's real-peer lab (Debian 12, run as root).
# Idempotent: apt-get runs only when a package is missing.
#
#   bash scripts/lab/install.sh
#
# Package postinst scripts would otherwise start the system sshd (0.0.0.0:22),
# frr and redis as services. A policy-rc.d that denies every service start is
# installed for the duration of apt-get when none exists, and removed after.
set -euo pipefail

PKGS=(redis-server redis-tools redis-sentinel openssl openssh-server openssh-client frr
      sudo iproute2 procps python3-netmiko python3-pyeapi python3-textfsm python3-jinja2
      python3-rq python3-paramiko chromium fonts-dejavu-core)

log() { echo "install.sh: $*"; }
[ "$(id -u)" = 0 ] || { echo "install.sh: must run as root" >&2; exit 1; }

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    log "all ${#PKGS[@]} lab packages already installed"
else
    log "installing: ${missing[*]}"
    policy=/usr/sbin/policy-rc.d
    created_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# netpulse lab install: no service starts during apt-get\nexit 101\n' > "$policy"
        chmod 755 "$policy"
        created_policy=1
    fi
    remove_policy() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
    trap remove_policy EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

for b in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/bin/vtysh /usr/lib/frr/zebra \
         /usr/lib/frr/watchfrr /usr/bin/redis-server /usr/bin/redis-cli /usr/bin/redis-sentinel \
         /usr/bin/openssl /usr/bin/sudo; do
    [ -x "$b" ] || { echo "install.sh: missing $b after install" >&2; exit 1; }
done

# Debian's python3-* packages are only visible to /usr/bin/python3, not to a
# pyenv/venv python earlier on PATH; report what the tests will import.
/usr/bin/python3 - <<'PY'
import importlib
for m in ("pyeapi", "netmiko", "paramiko", "rq", "redis", "textfsm", "jinja2"):
    try:
        mod = importlib.import_module(m)
        v = getattr(mod, "__version__", getattr(mod, "VERSION", "?"))
        print(f"install.sh: python3 {m} {v}")
    except Exception as e:
        print(f"install.sh: python3 {m} NOT importable: {e}")
PY
log "done"
