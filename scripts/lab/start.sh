#!/usr/bin/env bash
# Start NetPulse's real-peer lab (Debian 12, run as root, no systemd). Idempotent.
#
#   bash scripts/lab/start.sh
#
# Everything listens on 127.0.0.1 only:
#   redis   127.0.0.1:6379 (appendonly yes when started here; an existing redis
#           that answers PING is used as it is)
#   sshd    127.0.0.1:2222, a dedicated /usr/sbin/sshd with its own config and
#           host keys under $LAB_DIR/sshd (never the system sshd)
#             linux/linux    bash, sudo (password; NOPASSWD /usr/bin/id), SFTP,
#                            key auth with $LAB_DIR/keys/linux_ed25519
#                            (and linux_ed25519_enc, passphrase lab-passphrase)
#             netops/netops  login shell /usr/bin/vtysh (FRR router CLI)
#   FRR     zebra, staticd, bgpd, ospfd + watchfrr --dry in network namespace
#           "netpulse" (prompt lab-r1#); vtysh reaches them via /var/run/frr
#
# If a working peer already answers (redis PING, an SSH server on 2222 that
# accepts the lab users, an FRR whose zebra answers vtysh), it is reused and
# left alone; stop.sh only stops what this script started (pid files).
#
# Environment:
#   NETPULSE_LAB_DIR   scratch dir (default /tmp/netpulse-lab)
#   NETPULSE_LAB_SSH_PORT (2222), NETPULSE_LAB_REDIS_PORT (6379)
#   NETPULSE_LAB_NO_REDIS=1 / _NO_FRR=1 / _NO_SSHD=1   skip a component
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_DIR="${NETPULSE_LAB_DIR:-/tmp/netpulse-lab}"
SSH_PORT="${NETPULSE_LAB_SSH_PORT:-2222}"
REDIS_PORT="${NETPULSE_LAB_REDIS_PORT:-6379}"
NETNS=netpulse
RUN="$LAB_DIR/run"
FRRDIR="$LAB_DIR/frr"
SSHDIR="$LAB_DIR/sshd"
REDISDIR="$LAB_DIR/redis"
KEYDIR="$LAB_DIR/keys"
FRR_DAEMONS=(zebra staticd bgpd ospfd)
ROUTER_NAME=lab-r1
KEY_PASSPHRASE=lab-passphrase
SUDOERS=/etc/sudoers.d/netpulse-lab-linux

log() { echo "start.sh: $*"; }
die() { echo "start.sh: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
for b in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/bin/vtysh /usr/lib/frr/zebra \
         /usr/bin/redis-server /usr/bin/redis-cli /usr/bin/python3; do
    [ -x "$b" ] || die "$b missing: run scripts/lab/install.sh first"
done

install -d -m 0755 "$LAB_DIR" "$RUN"

# pid_alive FILE EXPECTED-SUBSTRING-OF-CMDLINE
pid_alive() {
    local f="$1" want="$2" pid
    [ -s "$f" ] || return 1
    pid="$(tr -dc '0-9' < "$f")"
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$want"
}

port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

wait_for() {  # seconds command...
    local t="$1" i; shift
    for ((i = 0; i < t * 10; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    return 1
}

ssh_banner() {  # port -> prints the server's identification line
    timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"'; head -n 1 <&3' 2>/dev/null | tr -d '\r'
}

STARTED=()
REUSED=()

# ---------------------------------------------------------------- users + keys
ensure_users() {
    getent group frrvty >/dev/null || die "group frrvty missing (is frr installed?)"
    if ! id netops >/dev/null 2>&1; then
        # frrvty: the daemons' vty sockets; frr: read /etc/frr/vtysh.conf
        useradd -m -s /usr/bin/vtysh -G frrvty,frr netops
        log "created user netops (shell /usr/bin/vtysh)"
    else
        usermod -s /usr/bin/vtysh -a -G frrvty,frr netops >/dev/null 2>&1 || true
    fi
    echo 'netops:netops' | chpasswd
    if ! id linux >/dev/null 2>&1; then
        useradd -m -s /bin/bash linux
        log "created user linux (shell /bin/bash)"
    else
        usermod -s /bin/bash linux >/dev/null 2>&1 || true
    fi
    echo 'linux:linux' | chpasswd
    local u h
    for u in netops linux; do
        h="$(getent passwd "$u" | cut -d: -f6)"
        install -d -o "$u" -g "$u" -m 0755 "$h"
    done

    # A realistic sudo: password prompt for everything, NOPASSWD only for
    # /usr/bin/id so tests can exercise both paths.
    cat > "$SUDOERS.tmp" <<'SUDO'
# netpulse lab: user "linux"
Defaults:linux !lecture
linux ALL=(ALL:ALL) ALL
linux ALL=(root) NOPASSWD: /usr/bin/id
SUDO
    chmod 440 "$SUDOERS.tmp"
    visudo -cq -f "$SUDOERS.tmp" || { rm -f "$SUDOERS.tmp"; die "bad sudoers fragment"; }
    mv -f "$SUDOERS.tmp" "$SUDOERS"

    # Client keypair for key-auth tests; the plain private key stays in the
    # lab dir, the encrypted copy holds the same key under a passphrase.
    install -d -m 0755 "$KEYDIR"
    if [ ! -s "$KEYDIR/linux_ed25519" ]; then
        rm -f "$KEYDIR/linux_ed25519" "$KEYDIR/linux_ed25519.pub" "$KEYDIR/linux_ed25519_enc"
        ssh-keygen -q -t ed25519 -N '' -C netpulse-lab-linux -f "$KEYDIR/linux_ed25519"
        log "generated $KEYDIR/linux_ed25519"
    fi
    if [ ! -s "$KEYDIR/linux_ed25519_enc" ]; then
        cp "$KEYDIR/linux_ed25519" "$KEYDIR/linux_ed25519_enc"
        ssh-keygen -q -p -P '' -N "$KEY_PASSPHRASE" -f "$KEYDIR/linux_ed25519_enc" >/dev/null
    fi
    # Tests started through sudo run as the invoking user: hand them the keys.
    local owner="${SUDO_USER:-root}"
    chown "$owner" "$KEYDIR"/linux_ed25519*
    chmod 600 "$KEYDIR/linux_ed25519" "$KEYDIR/linux_ed25519_enc"

    local home pub
    home="$(getent passwd linux | cut -d: -f6)"
    pub="$(cut -d' ' -f1,2 "$KEYDIR/linux_ed25519.pub")"
    install -d -o linux -g linux -m 0700 "$home/.ssh"
    touch "$home/.ssh/authorized_keys"
    grep -qF "$pub" "$home/.ssh/authorized_keys" || cat "$KEYDIR/linux_ed25519.pub" >> "$home/.ssh/authorized_keys"
    chown linux:linux "$home/.ssh/authorized_keys"; chmod 600 "$home/.ssh/authorized_keys"
}

# ---------------------------------------------------------------- redis
start_redis() {
    if pid_alive "$REDISDIR/redis.pid" redis-server; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG \
            || die "our redis (pid $(cat "$REDISDIR/redis.pid")) does not answer on port $REDIS_PORT; run stop.sh first"
        log "redis: already running (pid $(cat "$REDISDIR/redis.pid"), ours)"; return
    fi
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
        log "redis: something already answers PING on 127.0.0.1:$REDIS_PORT; reusing it"
        REUSED+=(redis); return
    fi
    port_listening "$REDIS_PORT" && die "port $REDIS_PORT is busy but does not answer as redis"
    install -d -m 0750 "$REDISDIR"
    local runas=()
    if id redis >/dev/null 2>&1; then chown redis:redis "$REDISDIR"; runas=(runuser -u redis --); fi
    "${runas[@]}" /usr/bin/redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
        --daemonize yes --pidfile "$REDISDIR/redis.pid" --dir "$REDISDIR" \
        --logfile "$REDISDIR/redis.log" --save '' --appendonly yes --protected-mode yes
    wait_for 10 sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT ping | grep -q PONG" \
        || die "redis did not come up (see $REDISDIR/redis.log)"
    log "redis: started on 127.0.0.1:$REDIS_PORT (pid $(cat "$REDISDIR/redis.pid"), appendonly yes)"
    STARTED+=(redis)
}

# ---------------------------------------------------------------- FRR
frr_config() {
    cat <<CONF
frr version 8.4.4
frr defaults traditional
hostname $ROUTER_NAME
log file $FRRDIR/frr.log informational
service integrated-vtysh-config
!
ip route 10.99.0.0/16 Null0
!
interface eth0
 description lab uplink (netns $NETNS)
 ip address 198.51.100.1/24
exit
!
interface eth1
 description lab downlink (netns $NETNS)
 ip address 203.0.113.1/24
exit
!
interface lo
 ip address 10.255.255.1/32
exit
!
router bgp 65001
 bgp router-id 10.255.255.1
 no bgp ebgp-requires-policy
 !
 address-family ipv4 unicast
  network 10.255.255.1/32
 exit-address-family
exit
!
router ospf
 ospf router-id 10.255.255.1
 passive-interface default
 network 198.51.100.0/24 area 0
exit
!
line vty
!
CONF
}

ensure_netns() {
    if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NETNS"; then return 0; fi
    ip netns add "$NETNS" || return 1
    : > "$RUN/netns.created"
    ip -n "$NETNS" link set lo up || return 1
    # Without the dummy module (small VM kernels) a veth pair stands in; both
    # ends stay inside the namespace, so no routing packet leaves it.
    if ip -n "$NETNS" link add eth0 type dummy 2>/dev/null; then
        ip -n "$NETNS" link add eth1 type dummy || return 1
    else
        ip -n "$NETNS" link add eth0 type veth peer name eth1 || return 1
    fi
    ip -n "$NETNS" link set eth0 up && ip -n "$NETNS" link set eth1 up || return 1
    log "frr: created network namespace $NETNS"
}

start_frr() {
    if pid_alive "$FRRDIR/zebra.pid" /usr/lib/frr/zebra; then
        log "frr: already running (zebra pid $(cat "$FRRDIR/zebra.pid"), ours)"; return
    fi
    if [ -S /var/run/frr/zebra.vty ] && timeout 5 vtysh -d zebra -c 'show version' >/dev/null 2>&1; then
        log "frr: an FRR started elsewhere answers on /var/run/frr; reusing it"
        REUSED+=(frr); return
    fi
    ensure_netns || die "cannot create network namespace $NETNS (FRR must not route on the host)"
    local nsexec=(ip netns exec "$NETNS")

    install -d -o frr -g frr -m 0755 "$FRRDIR" /var/run/frr
    chown frr:frr /etc/frr; chmod 0750 /etc/frr
    local f
    for f in frr.conf vtysh.conf; do
        if [ -f "/etc/frr/$f" ] && [ ! -f "/etc/frr/$f.pre-netpulse" ]; then
            cp -p "/etc/frr/$f" "/etc/frr/$f.pre-netpulse"
        fi
    done
    frr_config > /etc/frr/frr.conf
    # vtysh takes its prompt name from vtysh.conf, not from the daemons
    printf 'service integrated-vtysh-config\nhostname %s\n' "$ROUTER_NAME" > /etc/frr/vtysh.conf
    chown frr:frr /etc/frr/frr.conf /etc/frr/vtysh.conf
    chmod 0640 /etc/frr/frr.conf /etc/frr/vtysh.conf

    local d opts
    for d in "${FRR_DAEMONS[@]}" watchfrr; do rm -f "/var/run/frr/$d.vty"; done
    for d in "${FRR_DAEMONS[@]}"; do
        opts=(-d -F traditional -P 0 -i "$FRRDIR/$d.pid" --log "file:$FRRDIR/$d.log")
        case "$d" in
            zebra) opts+=(-s 90000000) ;;
            bgpd)  opts+=(-l 127.0.0.1) ;;
        esac
        # Own UTS namespace: the daemons print their hostname in
        # "show running-config", which must be the router's, not the host's.
        "${nsexec[@]}" unshare --uts -- sh -c 'hostname "$0" && exec "$@"' \
            "$ROUTER_NAME" "/usr/lib/frr/$d" "${opts[@]}" >>"$FRRDIR/$d.out" 2>&1 \
            || die "failed to start $d (see $FRRDIR/$d.log)"
        wait_for 10 test -S "/var/run/frr/$d.vty" || die "$d vty socket did not appear"
    done
    # watchfrr --dry restarts nothing; a non-root vtysh's "write memory" goes
    # through it (it runs "vtysh -w" as root).
    "${nsexec[@]}" unshare --uts -- sh -c 'hostname "$0" && exec "$@"' \
        "$ROUTER_NAME" /usr/lib/frr/watchfrr -d --dry -p "$FRRDIR/watchfrr.pid" \
        "${FRR_DAEMONS[@]}" >"$FRRDIR/watchfrr.out" 2>&1 || die "failed to start watchfrr"
    wait_for 10 test -S /var/run/frr/watchfrr.vty || die "watchfrr vty socket did not appear"
    vtysh -b >"$FRRDIR/vtysh-boot.out" 2>&1 || { cat "$FRRDIR/vtysh-boot.out" >&2; die "vtysh -b failed"; }
    log "frr: started ${FRR_DAEMONS[*]} watchfrr in netns $NETNS"
    STARTED+=(frr)
}

# ---------------------------------------------------------------- sshd
# check_ssh_peer: the server on $SSH_PORT accepts linux (password and key)
# and netops (password, lands in vtysh). Uses Debian's paramiko.
check_ssh_peer() {
    /usr/bin/python3 - "$SSH_PORT" "$KEYDIR/linux_ed25519" <<'PY'
import sys, paramiko
port, key = int(sys.argv[1]), sys.argv[2]
def run(user, cmd, **auth):
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port=port, username=user, timeout=5, banner_timeout=5,
              auth_timeout=5, allow_agent=False, look_for_keys=False, **auth)
    try:
        _, out, _ = c.exec_command(cmd, timeout=10)
        return out.read().decode(errors="replace")
    finally:
        c.close()
try:
    assert run("linux", "id -un", password="linux").strip() == "linux"
    assert run("linux", "id -un", key_filename=key).strip() == "linux"
    assert "FRRouting" in run("netops", "show version", password="netops")
except Exception as e:
    print(f"ssh peer check failed: {e!r}", file=sys.stderr)
    sys.exit(1)
PY
}

start_sshd() {
    if pid_alive "$SSHDIR/sshd.pid" "$SSHDIR/sshd_config"; then
        grep -qx "Port $SSH_PORT" "$SSHDIR/sshd_config" \
            || die "our sshd (pid $(cat "$SSHDIR/sshd.pid")) listens on $(awk '$1=="Port"{print $2}' "$SSHDIR/sshd_config"), not $SSH_PORT; run stop.sh first"
        log "sshd: already running on 127.0.0.1:$SSH_PORT (pid $(cat "$SSHDIR/sshd.pid"), ours)"; return
    fi
    if port_listening "$SSH_PORT"; then
        local banner; banner="$(ssh_banner "$SSH_PORT")"
        case "$banner" in
            SSH-*) ;;
            *) die "port $SSH_PORT is in use by something that is not an SSH server" ;;
        esac
        if check_ssh_peer; then
            log "sshd: $banner on 127.0.0.1:$SSH_PORT accepts the lab users; reusing it"
            REUSED+=(sshd); return
        fi
        die "an SSH server ($banner) listens on $SSH_PORT but does not accept the lab users"
    fi
    install -d -m 0700 "$SSHDIR"
    local t
    for t in ed25519 ecdsa rsa; do
        [ -s "$SSHDIR/ssh_host_${t}_key" ] || \
            ssh-keygen -q -N '' -t "$t" -f "$SSHDIR/ssh_host_${t}_key" -C "netpulse-lab-$t"
    done
    install -d -m 0755 "$LAB_DIR/netops-bin"
    for t in ping traceroute; do
        cat > "$LAB_DIR/netops-bin/$t" <<'GUARD'
#!/bin/sh
# netpulse lab guard: vtysh runs ping/traceroute in the host network namespace,
# so only loopback targets pass, with a bounded count.
tool="$(basename "$0")"; target=""
for a in "$@"; do target="$a"; done
case "$target" in
    127.*|::1|localhost)
        for p in /usr/bin/$tool /bin/$tool /usr/sbin/$tool; do
            if [ -x "$p" ]; then
                [ "$tool" = ping ] && exec "$p" -c 5 -W 1 "$target"
                exec "$p" -m 5 -w 1 "$target"
            fi
        done
        echo "% $tool: not installed on the lab host"; exit 1 ;;
    *) echo "% $tool $target: refused in the netpulse lab (only 127.0.0.0/8 and ::1)"; exit 1 ;;
esac
GUARD
        chmod 755 "$LAB_DIR/netops-bin/$t"
    done
    cat > "$SSHDIR/sshd_config" <<CONF
# dedicated sshd of the netpulse lab (not the system sshd)
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSHDIR/ssh_host_ed25519_key
HostKey $SSHDIR/ssh_host_ecdsa_key
HostKey $SSHDIR/ssh_host_rsa_key
PidFile $SSHDIR/sshd.pid
AllowUsers netops linux
PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
# plain shadow check: PAM's loginuid/logind modules fail in containers
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
PermitTunnel no
AcceptEnv LANG LC_* VTYSH_PAGER
# internal-sftp bypasses the login shell, so SFTP works for both users
Subsystem sftp internal-sftp
# connection-heavy tests and benchmarks
MaxStartups 200:30:400
MaxSessions 64
LoginGraceTime 30
LogLevel VERBOSE
Match User netops
    SetEnv PATH=$LAB_DIR/netops-bin:/usr/bin:/bin
CONF
    install -d -m 0755 /run/sshd
    /usr/sbin/sshd -t -f "$SSHDIR/sshd_config" || die "sshd config test failed"
    /usr/sbin/sshd -f "$SSHDIR/sshd_config" -E "$SSHDIR/sshd.log"
    wait_for 10 port_listening "$SSH_PORT" || die "sshd did not listen (see $SSHDIR/sshd.log)"
    log "sshd: started on 127.0.0.1:$SSH_PORT (pid $(cat "$SSHDIR/sshd.pid"))"
    STARTED+=(sshd)
}

ensure_users
[ "${NETPULSE_LAB_NO_REDIS:-0}" = 1 ] || start_redis
[ "${NETPULSE_LAB_NO_FRR:-0}" = 1 ] || start_frr
[ "${NETPULSE_LAB_NO_SSHD:-0}" = 1 ] || start_sshd

# ---------------------------------------------------------------- summary
echo
log "lab ready; started now: ${STARTED[*]:-nothing}; reused: ${REUSED[*]:-nothing}"
echo "listening on 127.0.0.1:"
ss -Hltnp "( sport = :$SSH_PORT or sport = :$REDIS_PORT )" 2>/dev/null \
    | awk '{ printf "  %-22s %s\n", $4, $6 }'
frr_pids=""
for d in "${FRR_DAEMONS[@]}" watchfrr; do
    [ -S "/var/run/frr/$d.vty" ] && frr_pids+=" $d"
done
echo "  FRR vty sockets in /var/run/frr:${frr_pids:- none}"
cat <<INFO
  ssh -p $SSH_PORT linux@127.0.0.1    password linux (or -i $KEYDIR/linux_ed25519)
  ssh -p $SSH_PORT netops@127.0.0.1   password netops -> vtysh, prompt $ROUTER_NAME#
  stop: NETPULSE_LAB_DIR=$LAB_DIR bash $HERE/stop.sh
INFO
