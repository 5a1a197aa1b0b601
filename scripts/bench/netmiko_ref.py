#!/usr/bin/python3
"""Reference figures from Debian's python3-netmiko (2.4.2) for `npm run bench -- ssh`.

    /usr/bin/python3 scripts/bench/netmiko_ref.py --device-type cisco_ios --host 127.0.0.1 \
        --port 2222 --username netops --password netops [--secret S] -n 10 [--fast-cli] \
        --show 'show version' --config 'interface lo9;description bench-{i};exit' [--expect TEXT]

(a) ConnectHandler(...) + disconnect()       fresh session each time (1 warm-up)
(b) send_command(show)                       on one open session (2 warm-ups)
(c) send_config_set(3 lines)                 on one open session (1 warm-up); `{i}` = iteration

With --secret, enable() is called on the open session before (b) and (c) (the simulator's IOS
logs in at `R1>`). A login the peer drops is retried (at most 2 more times, 1 s apart; a retried
connect sample includes the wait and the retry is listed in "retries"). Prints one JSON object on stdout: {"netmiko", "fast_cli", "errors", "rows":
[{"name", "n", "median", "p90", "min", "max"}], "retries"} with times in milliseconds.
"""
import argparse
import json
import math
import statistics
import sys
import time

import netmiko
from netmiko import ConnectHandler


def timed(fn, n, warmup):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def connect(dev, retries):
    """ConnectHandler with a bounded retry (a shared lab peer may drop a login under load)."""
    for attempt in range(3):
        try:
            return ConnectHandler(**dev)
        except (OSError, EOFError) as e:
            if attempt == 2:
                raise
            retries.append(f"{type(e).__name__}: {e}")
            time.sleep(1.0)


def summarize(name, ms):
    s = sorted(ms)
    p90 = s[max(0, math.ceil(0.9 * len(s)) - 1)]
    return {"name": name, "n": len(s), "median": statistics.median(s), "p90": p90, "min": s[0], "max": s[-1]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device-type", default="cisco_ios")
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=22)
    ap.add_argument("--username", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--secret", default=None)
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--fast-cli", action="store_true", help="netmiko fast_cli=True")
    ap.add_argument("--show", default="show version")
    ap.add_argument("--config", required=True, help="three lines separated by ';', {i} = iteration")
    ap.add_argument("--expect", default=None, help="text the show output must contain")
    a = ap.parse_args()
    if not (a.host.startswith("127.") or a.host == "localhost"):
        ap.error("--host must be inside 127.0.0.0/8")
    lines = [l for l in a.config.split(";") if l]

    dev = dict(device_type=a.device_type, host=a.host, port=a.port, username=a.username,
               password=a.password, fast_cli=a.fast_cli)
    if a.secret is not None:
        dev["secret"] = a.secret
    tag = "fast_cli" if a.fast_cli else "defaults"
    errors = 0
    retries = []

    def connect_disconnect():
        c = connect(dev, retries)
        c.disconnect()

    t_conn = timed(connect_disconnect, a.n, warmup=1)

    c = connect(dev, retries)
    if a.secret is not None:
        c.enable()

    def show():
        nonlocal errors
        out = c.send_command(a.show)
        if not out.strip() or (a.expect is not None and a.expect not in out):
            errors += 1

    t_show = timed(show, a.n, warmup=2)

    i = 0

    def config3():
        nonlocal i, errors
        i += 1
        out = c.send_config_set([l.replace("{i}", str(i)) for l in lines])
        if "% " in out:
            errors += 1

    t_cfg = timed(config3, a.n, warmup=1)
    c.disconnect()

    rows = [
        summarize(f"netmiko ({tag}) (a) connect+disconnect", t_conn),
        summarize(f"netmiko ({tag}) (b) send_command('{a.show}')", t_show),
        summarize(f"netmiko ({tag}) (c) send_config_set {len(lines)} lines", t_cfg),
    ]
    json.dump({"netmiko": netmiko.__version__, "fast_cli": a.fast_cli, "errors": errors, "retries": retries, "rows": rows}, sys.stdout)
    sys.stdout.write("\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
