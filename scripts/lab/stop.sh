#!/usr/bin/env bash
# Stop what scripts/lab/start.sh started, by pid file only: each pid's command
# line is checked before it is signalled, so a recycled pid or a peer that
# start.sh reused (someone else's redis/sshd/FRR) is never touched.
#
#   bash scripts/lab/stop.sh           # stop sshd, FRR, redis; drop the netns
#   bash scripts/lab/stop.sh --purge   # also remove the sudoers fragment,
#                                      # restore /etc/frr/*.conf, delete $LAB_DIR
#
# Users linux/netops stay (other labs on this machine share them).
set -uo pipefail

LAB_DIR="${NETPULSE_LAB_DIR:-/tmp/netpulse-lab}"
RUN="$LAB_DIR/run"
FRRDIR="$LAB_DIR/frr"
SSHDIR="$LAB_DIR/sshd"
REDISDIR="$LAB_DIR/redis"
NETNS=netpulse
PURGE=0
[ "${1:-}" = "--purge" ] && PURGE=1

log() { echo "stop.sh: $*"; }
[ "$(id -u)" = 0 ] || { echo "stop.sh: must run as root" >&2; exit 1; }

is_gone() {  # pid: exited, or a zombie waiting for its parent
    [ ! -d "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# stop_pidfile NAME FILE EXPECTED-SUBSTRING-OF-CMDLINE
stop_pidfile() {
    local name="$1" f="$2" want="$3" pid i
    [ -s "$f" ] || return 0
    pid="$(tr -dc '0-9' < "$f")"
    if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
        log "$name: not running (stale pid file removed)"; rm -f "$f"; return 0
    fi
    if ! tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$want"; then
        log "$name: pid $pid is no longer '$want'; left alone"; rm -f "$f"; return 0
    fi
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do is_gone "$pid" && break; sleep 0.1; done
    if ! is_gone "$pid"; then
        log "$name: pid $pid ignored SIGTERM for 5 s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null; sleep 0.2
    fi
    rm -f "$f"
    log "$name: stopped (pid $pid)"
}

stop_pidfile sshd "$SSHDIR/sshd.pid" "$SSHDIR/sshd_config"
# watchfrr first, so it does not react to the daemons going away
for d in watchfrr ospfd bgpd staticd zebra; do
    if [ -s "$FRRDIR/$d.pid" ]; then
        stop_pidfile "$d" "$FRRDIR/$d.pid" "/usr/lib/frr/$d"
        # daemons leave their vty sockets behind on SIGTERM
        rm -f "/var/run/frr/$d.vty"
        [ "$d" = zebra ] && rm -f /var/run/frr/zserv.api
    fi
done
stop_pidfile redis "$REDISDIR/redis.pid" redis-server

if [ -f "$RUN/netns.created" ]; then
    if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NETNS"; then
        if [ -z "$(ip netns pids "$NETNS" 2>/dev/null)" ]; then
            ip netns del "$NETNS" && log "removed network namespace $NETNS"
        else
            log "network namespace $NETNS still has processes ($(ip netns pids "$NETNS" | tr '\n' ' ')); kept"
        fi
    fi
    rm -f "$RUN/netns.created"
fi

if [ "$PURGE" = 1 ]; then
    rm -f /etc/sudoers.d/netpulse-lab-linux
    for f in frr.conf vtysh.conf; do
        if [ -f "/etc/frr/$f.pre-netpulse" ]; then
            mv -f "/etc/frr/$f.pre-netpulse" "/etc/frr/$f" && log "restored /etc/frr/$f"
        fi
    done
    # the lab key's line in linux's authorized_keys goes with the key
    if [ -s "$LAB_DIR/keys/linux_ed25519.pub" ] && id linux >/dev/null 2>&1; then
        ak="$(getent passwd linux | cut -d: -f6)/.ssh/authorized_keys"
        pub="$(cut -d' ' -f1,2 "$LAB_DIR/keys/linux_ed25519.pub")"
        [ -f "$ak" ] && grep -vF "$pub" "$ak" > "$ak.tmp"; [ -f "$ak.tmp" ] && mv -f "$ak.tmp" "$ak" && chown linux:linux "$ak" && chmod 600 "$ak"
    fi
    rm -rf "$LAB_DIR"
    log "removed $LAB_DIR"
fi
log "done"
