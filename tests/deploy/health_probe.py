#!/usr/bin/python3
"""Waits until fazhi servers answer health checks, as a load balancer would.

  health_probe.py [--timeout=S] [--grpc=HOST:PORT ...] [--http=URL ...]

--grpc: grpc.health.v1.Health/Check (overall server, service "") must answer
SERVING. --http: a GET must answer 200. Exits 0 when all of them do within
the timeout, 1 otherwise, naming what did not. Needs only python3-grpcio: the
two health messages are encoded by hand (request: empty; response: field 1,
varint status, SERVING = 1), so no generated stubs are required.
"""

import argparse
import sys
import time
import urllib.request

import grpc

SERVING = b"\x08\x01"


def grpc_serving(target: str) -> str:
    """Returns "" when the target says SERVING, else what it said."""
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        try:
            response = check(b"", timeout=2)
        except grpc.RpcError as e:  # pylint: disable=no-member
            return f"{e.code().name}: {e.details()}"
        return "" if response == SERVING else f"status bytes {response!r}"


def http_ok(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return "" if response.status == 200 else f"HTTP {response.status}"
    except Exception as e:  # pylint: disable=broad-except
        return str(e)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grpc", action="append", default=[])
    parser.add_argument("--http", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    checks = [(f"grpc {t}", lambda t=t: grpc_serving(t)) for t in args.grpc]
    checks += [(f"http {u}", lambda u=u: http_ok(u)) for u in args.http]
    give_up = time.monotonic() + args.timeout
    pending = dict(checks)
    last = {}
    while pending and time.monotonic() < give_up:
        for name, check in list(pending.items()):
            problem = check()
            if problem:
                last[name] = problem
            else:
                print(f"ok   {name}", flush=True)
                del pending[name]
        if pending:
            time.sleep(0.3)
    for name in pending:
        print(f"FAIL {name}: {last.get(name, 'no answer')}", flush=True)
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
