#!/usr/bin/env python3
"""Many instances on one Redis, simulated on one machine.

Starts a redis-server and INSTANCES copies of examples/revocation (release) on it, loads every
instance with wrk (CONNECTIONS each) for DURATION seconds, and meanwhile logs out RATE logins a
second: each logout is made on one instance and timed until another instance (which checked
the token before, so that its near-cache held it) refuses it. Reports the propagation
(median, p99, max), the Redis commands run per protected request (INFO commandstats), and each
instance's resident memory.

    python3 bench/simulate.py
    INSTANCES=8 RATE=20 DURATION=20 python3 bench/simulate.py

Needs redis-server, redis-cli and wrk (apt-get install redis-server redis-tools wrk).
"""

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

INSTANCES = int(os.environ.get("INSTANCES", "8"))
RATE = float(os.environ.get("RATE", "20"))
DURATION = int(os.environ.get("DURATION", "20"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
SECRET = "a-benchmark-secret-that-is-at-least-32-bytes-long"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on port {port}")


def ask(conn, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def login(conn):
    status, body = ask(conn, "POST", "/login", body={"username": "test", "password": "test"})
    assert status == 200, (status, body)
    return json.loads(body)["access_token"]


def command_stats(redis_port):
    out = subprocess.run(
        ["redis-cli", "-p", str(redis_port), "info", "commandstats"],
        capture_output=True, text=True, check=True,
    ).stdout
    calls = {}
    for line in out.splitlines():
        if line.startswith("cmdstat_"):
            name, rest = line[len("cmdstat_"):].split(":", 1)
            calls[name] = int(rest.split(",")[0].split("=")[1])
    return calls


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    for tool in ("redis-server", "redis-cli", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed (apt-get install redis-server redis-tools wrk)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "revocation"], cwd=ROOT, check=True)
    children = []
    try:
        redis_port = free_port()
        children.append(subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL))
        wait_for(redis_port)
        ports = []
        for _ in range(INSTANCES):
            port = free_port()
            env = dict(os.environ, ROCKET_PROFILE="release", ROCKET_PORT=str(port),
                       ROCKET_LOG_LEVEL="off", ROCKET_JWT_SECRET_KEY=SECRET,
                       ROCKET_JWT_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
            children.append(subprocess.Popen(
                [os.path.join(ROOT, "target/release/revocation")], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ports.append(port)
        for port in ports:
            wait_for(port)
        instances = children[1:]

        tokens = [login(http.client.HTTPConnection("127.0.0.1", port)) for port in ports]
        before = command_stats(redis_port)
        loads = [subprocess.Popen(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-H",
             f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}/protected"],
            stdout=subprocess.PIPE, text=True) for port, token in zip(ports, tokens)]

        times, stale = [], 0
        stop = time.monotonic() + DURATION - 1
        conns = [http.client.HTTPConnection("127.0.0.1", port) for port in ports]
        i = 0
        while time.monotonic() < stop:
            started = time.monotonic()
            one, other = conns[i % INSTANCES], conns[(i + 1) % INSTANCES]
            token = login(one)
            assert ask(other, "GET", "/protected", token)[0] == 200
            assert ask(other, "GET", "/protected", token)[0] == 200
            assert ask(one, "DELETE", "/logout", token)[0] == 200
            answered = time.perf_counter()
            while True:
                status, _ = ask(other, "GET", "/protected", token)
                if status == 401:
                    break
                assert status == 200, status
                stale += 1
            times.append((time.perf_counter() - answered) * 1000)
            i += 1
            time.sleep(max(0.0, 1 / RATE - (time.monotonic() - started)))

        requests = 0
        for load in loads:
            out, _ = load.communicate()
            for line in out.splitlines():
                if "requests in" in line:
                    requests += int(line.split()[0])
        after = command_stats(redis_port)
        memory = [resident_kib(child.pid) for child in instances]

        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        delta = {name: after.get(name, 0) - before.get(name, 0) for name in after}
        total = sum(delta.values())
        busiest = sorted(delta.items(), key=lambda item: -item[1])[:6]
        print(f"{INSTANCES} instances on one Redis, {DURATION} s, {CONNECTIONS} connections each, "
              f"{len(times)} logouts ({RATE:g}/s asked)")
        print(f"protected requests served: {requests} ({requests / DURATION:.0f}/s)")
        print(f"propagation to another instance: median {statistics.median(times):.2f} ms, "
              f"p99 {p99:.2f} ms, max {times[-1]:.2f} ms; 200s before the 401: {stale}")
        print(f"Redis commands: {total} in all, {total / max(requests, 1):.4f} per protected "
              f"request; busiest: " + ", ".join(f"{name} {calls}" for name, calls in busiest))
        print("resident memory per instance (MiB): "
              + ", ".join(f"{kib / 1024:.1f}" for kib in memory))
    finally:
        for child in children:
            child.kill()


if __name__ == "__main__":
    main()
