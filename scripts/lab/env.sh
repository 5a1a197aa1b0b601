# Facts of NetPulse's real-peer lab, for shell use:  . scripts/lab/env.sh
# Kept in step with tests/helpers/lab.ts and scripts/lab/start.sh.
export NETPULSE_LAB_DIR="${NETPULSE_LAB_DIR:-/tmp/netpulse-lab}"
export NETPULSE_LAB_HOST=127.0.0.1
export NETPULSE_LAB_SSH_PORT="${NETPULSE_LAB_SSH_PORT:-2222}"
export NETPULSE_LAB_REDIS_PORT="${NETPULSE_LAB_REDIS_PORT:-6379}"
export NETPULSE_LAB_LINUX_USER=linux NETPULSE_LAB_LINUX_PASSWORD=linux
export NETPULSE_LAB_LINUX_KEY="$NETPULSE_LAB_DIR/keys/linux_ed25519"
export NETPULSE_LAB_LINUX_KEY_ENC="$NETPULSE_LAB_DIR/keys/linux_ed25519_enc"
export NETPULSE_LAB_LINUX_KEY_PASSPHRASE=lab-passphrase
export NETPULSE_LAB_ROUTER_USER=netops NETPULSE_LAB_ROUTER_PASSWORD=netops
export NETPULSE_LAB_ROUTER_PROMPT='lab-r1#'
