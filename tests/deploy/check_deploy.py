#!/usr/bin/python3
"""Checks deploy/ and the configuration table of docs/operations.md against the binaries.

  check_deploy.py --bin-dir=build/bin --source=. [--kubectl=kubectl] [--write-docs]

What the binaries say is the truth: their flags and the FAZHI_* variables
their --helpfull names ("Env FAZHI_X."), and the addresses they listen on by
default, seen by starting each one with only that setting left to its
default (the address it binds, or reports taken, is its default; no network
namespace, so root in a container can run it).
Against that it checks every Kubernetes overlay as kustomize renders it, the
compose file (each profile), the Containerfile, and the generated flag table
of docs/operations.md (--write-docs rewrites that table).

The flags announced for API keys and TLS (ANNOUNCED) may appear in overlays
whose name contains "tls" before the binaries know them; once a binary has
them, they are checked like any other.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from queue import Empty, Queue

import yaml

SERVICES = ("study", "duty", "report", "gateway")
STORE_SERVICES = ("study", "duty", "report")
ANNOUNCED = {
    "study": {"keys_file", "tls_cert_file", "tls_key_file", "tls_client_ca_file"},
    "duty": {"keys_file", "tls_cert_file", "tls_key_file", "tls_client_ca_file"},
    "report": {"keys_file", "tls_cert_file", "tls_key_file", "tls_client_ca_file"},
    "gateway": {"keys_file", "tls_cert_file", "tls_key_file", "tls_client_ca_file",
                "backend_ca_file", "backend_cert_file", "backend_key_file"},
}
# Variables read by libraries, not by fazhi's flags.
LIBRARY_ENV = {"PGPASSWORD"}
# The page that holds the generated flag table, relative to --source.
FLAG_TABLE_DOC = os.path.join("docs", "operations.md")
README_BEGIN = "<!-- flags:begin"
README_END = "<!-- flags:end -->"
MIN_MARGIN_S, MAX_MARGIN_S = 3, 30

errors = []
checks = 0


def check(ok, message):
    global checks
    checks += 1
    if not ok:
        errors.append(message)
    return ok


# ---------------------------------------------------------------- binaries

class Flag:
    def __init__(self, name, help_text, default):
        self.name = name
        m = re.search(r"\bEnv (FAZHI_[A-Z0-9_]+)\.", help_text)
        self.env = m.group(1) if m else None
        self.meaning = re.sub(r"\s*\bEnv FAZHI_[A-Z0-9_]+\.", "", help_text).strip()
        self.default = default


class Binary:
    def __init__(self, service, path):
        self.service = service
        self.path = path
        self.flags = read_flags(path)
        self.env = {f.env: f for f in self.flags.values() if f.env}
        listen, http_listen, db = observe_defaults(service, path, local_start_flags(self.flags))
        self.listen, self.http_listen, self.db = listen, http_listen, db
        self.grpc_port = port_of(listen)
        self.http_port = port_of(http_listen)


def port_of(address):
    return int(address.rsplit(":", 1)[1]) if address else None


def read_flags(path):
    """The flags defined in fazhi's own sources, from --helpfull."""
    out = subprocess.run([path, "--helpfull"], capture_output=True, text=True, timeout=30)
    text = out.stdout + out.stderr
    flags = {}
    own = False
    entry = None
    entries = []
    for line in text.splitlines():
        m = re.match(r"^  Flags from (\S+):$", line)
        if m:
            source = m.group(1)
            own = re.search(r"(^|/)absl/", source) is None  # not Abseil's own flags
            continue
        if line.startswith("    --"):
            entry = [line.strip()] if own else None
            if entry is not None:
                entries.append(entry)
        elif line.startswith("      ") and entry is not None:
            entry.append(line.strip())
        else:
            entry = None
    for e in entries:
        joined = " ".join(e)
        m = re.match(r"^--(\w+) \((.*)\); default: (.*);$", joined)
        if not m:
            errors.append(f"{path}: cannot read the help of {joined!r}")
            continue
        default = m.group(3)
        if default.startswith('"') and default.endswith('"'):
            default = default[1:-1]
        flags[m.group(1)] = Flag(m.group(1), m.group(2), default)
    if not flags:
        errors.append(f"{path} --helpfull listed no flags of its own")
    return flags


def local_start_flags(flags):
    """What a binary needs to start on loopback without keys or certificates,
    once it has the flags for that (the security change); nothing before."""
    return [f"--{f}" for f in ("insecure_dev_mode", "allow_plaintext") if f in flags]


def announced(path, flags, pattern):
    """Starts the binary with `flags` (and no FAZHI_* variables) in an empty
    folder and returns the first group of `pattern` that matched a line of
    its log, or None once it is serving or has exited without one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen([path] + flags, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        lines = []
        found = None
        # A thread reads the lines: select() on a buffered pipe would miss
        # lines already read ahead into the buffer.
        queue = Queue()
        threading.Thread(target=lambda: [queue.put(l) for l in proc.stderr] + [queue.put(None)],
                         daemon=True).start()
        give_up = time.monotonic() + 30
        try:
            while time.monotonic() < give_up:
                try:
                    line = queue.get(timeout=0.5)
                except Empty:
                    continue
                if line is None:
                    break
                lines.append(line)
                if m := re.search(pattern, line):
                    found = next(g for g in m.groups() if g is not None)
                    break
                if re.search(r"\] serving$", line.rstrip()):
                    break
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return found, "".join(lines)


def observe_defaults(service, path, start_flags):
    """The gRPC and HTTP addresses and the store a binary uses when no flag
    or variable sets them, as it announces them. Each is seen in a start of
    its own that leaves only that one to its default (the other address on
    a free port or off), and is read whether the binary binds it or reports
    it taken ("cannot listen on ..."): a default port held by another
    process on the machine changes nothing, and no network namespace (which
    root in a container cannot make) is needed."""
    listen, log = announced(path, start_flags + ["--http_listen="],
                            r"listening on (\S+) \(port \d+\)|cannot listen on (\S+)$")
    if not listen:
        sys.exit(f"check_deploy.py: fazhi-{service} did not announce its gRPC address:\n{log}")
    http_listen, log = announced(path, start_flags + ["--listen=127.0.0.1:0"],
                                 r"HTTPS? \(.*\) on (\S+) \(port \d+\)|cannot listen for HTTP on (\S+)$")
    if not http_listen:
        sys.exit(f"check_deploy.py: fazhi-{service} did not announce its HTTP address:\n{log}")
    # The gateway keeps no store: it is serving without opening one.
    db, _ = announced(path, start_flags + ["--listen=127.0.0.1:0", "--http_listen="],
                      r"opening (\S+)")
    return listen, http_listen, db


def parse_duration(text):
    """absl duration text (10s, 1m30s, 500ms, 1.5h) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)", str(text))
    if not parts or "".join(n + u for n, u in parts) != str(text):
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n) * units[u] for n, u in parts)


# ---------------------------------------------------------------- env rules

def check_env(where, binary, name, value, announced_ok):
    """One environment variable set for a server."""
    if name in LIBRARY_ENV:
        return
    if not check(name.startswith("FAZHI_"), f"{where}: {name} is neither FAZHI_* nor a known library variable"):
        return
    if name in binary.env:
        return
    flag = name[len("FAZHI_"):].lower()
    if flag in binary.flags:
        check(False, f"{where}: fazhi-{binary.service} has --{flag} but its help names no {name}")
    elif flag in ANNOUNCED[binary.service]:
        check(announced_ok, f"{where}: {name} (announced --{flag}) belongs in a *tls* overlay until "
              f"fazhi-{binary.service} knows the flag")
    else:
        check(False, f"{where}: fazhi-{binary.service} reads no {name} (no flag --{flag})")


def check_security(where, binary, env, mounted):
    """Once the binaries take keys and TLS files, a deployment must give them
    (a server listening beyond loopback refuses to start without); every
    *_FILE a server is pointed at must be on a mounted volume."""
    if "keys_file" in binary.flags:
        check("FAZHI_KEYS_FILE" in env, f"{where}: fazhi-{binary.service} needs FAZHI_KEYS_FILE (--keys_file)")
    if "allow_plaintext" in binary.flags:
        check("FAZHI_TLS_CERT_FILE" in env or env.get("FAZHI_ALLOW_PLAINTEXT") in ("1", "true"),
              f"{where}: fazhi-{binary.service} needs TLS files or FAZHI_ALLOW_PLAINTEXT=true")
    for name, value in env.items():
        if name.startswith("FAZHI_") and name.endswith("_FILE") and value:
            check(any(value.startswith(m.rstrip("/") + "/") for m in mounted),
                  f"{where}: {name}={value} is not on a mounted volume")


def check_args(where, binary, args):
    for a in args or []:
        m = re.match(r"^--(\w+)", str(a))
        if m:
            check(m.group(1) in binary.flags, f"{where}: fazhi-{binary.service} has no flag --{m.group(1)}")


def effective(binary, env, flag):
    """The value a server ends up with: variable, else the binary's default."""
    value = env.get("FAZHI_" + flag.upper())
    if value is not None:
        return value
    if flag == "listen":
        return binary.listen
    if flag == "http_listen":
        return binary.http_listen
    return binary.flags[flag].default if flag in binary.flags else None


def check_listen(where, binary, env):
    listen = effective(binary, env, "listen")
    http_listen = effective(binary, env, "http_listen")
    check(port_of(listen) == binary.grpc_port,
          f"{where}: gRPC listens on {listen}, the binary's port is {binary.grpc_port}")
    check(port_of(http_listen) == binary.http_port,
          f"{where}: HTTP listens on {http_listen}, the binary's port is {binary.http_port}")
    for addr in (listen, http_listen):
        check(not addr.startswith("127.") and not addr.startswith("localhost"),
              f"{where}: {addr} is loopback, unreachable from outside the container")


def check_grace(where, binary, env, budget_s, pre_stop_s):
    grace = parse_duration(effective(binary, env, "shutdown_grace"))
    margin = budget_s - pre_stop_s - grace
    check(MIN_MARGIN_S <= margin <= MAX_MARGIN_S,
          f"{where}: {budget_s:g} s to stop for {pre_stop_s:g} s preStop + {grace:g} s --shutdown_grace "
          f"leaves {margin:g} s (want {MIN_MARGIN_S}-{MAX_MARGIN_S})")


# ---------------------------------------------------------------- kubernetes

def render(kubectl, overlay):
    out = subprocess.run([kubectl, "kustomize", overlay], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        errors.append(f"kubectl kustomize {overlay} failed:\n{out.stderr}")
        return []
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def check_overlay(name, docs, binaries, documented):
    where0 = f"k8s/{name}"
    tls = "tls" in name
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    configmaps = by_kind.get("ConfigMap", {})
    pvcs = by_kind.get("PersistentVolumeClaim", {})
    for svc in SERVICES:
        b = binaries[svc]
        where = f"{where0} fazhi-{svc}"
        dep = by_kind.get("Deployment", {}).get(f"fazhi-{svc}")
        service = by_kind.get("Service", {}).get(f"fazhi-{svc}")
        if not check(dep is not None and service is not None, f"{where}: no Deployment and Service"):
            continue
        pod = dep["spec"]["template"]["spec"]
        (c,) = [c for c in pod["containers"] if c["name"] == svc] or [None]
        if not check(c is not None, f"{where}: no container named {svc}"):
            continue
        check(c.get("command") == [f"fazhi-{svc}"], f"{where}: command is {c.get('command')}")
        check_args(where, b, c.get("args"))

        # environment, with ConfigMaps resolved
        env = {}
        for ef in c.get("envFrom", []):
            ref = ef.get("configMapRef", {}).get("name")
            if ref is not None:
                if check(ref in configmaps, f"{where}: envFrom ConfigMap {ref} is not in the rendering"):
                    env.update(configmaps[ref].get("data", {}))
            sref = ef.get("secretRef", {}).get("name")
            if sref is not None:
                check(sref in documented, f"{where}: Secret {sref} is not named in the overlay's kustomization")
        for e in c.get("env", []):
            value = e.get("value")
            src = e.get("valueFrom", {})
            if "configMapKeyRef" in src:
                ref = src["configMapKeyRef"]
                if check(ref["name"] in configmaps and ref["key"] in configmaps[ref["name"]].get("data", {}),
                         f"{where}: {e['name']} refers to ConfigMap {ref['name']} key {ref['key']}, not rendered"):
                    value = configmaps[ref["name"]]["data"][ref["key"]]
            if "secretKeyRef" in src:
                check(src["secretKeyRef"]["name"] in documented,
                      f"{where}: Secret {src['secretKeyRef']['name']} is not named in the overlay's kustomization")
                value = "<secret>"
            env[e["name"]] = value
        for k, v in env.items():
            check_env(where, b, k, v, tls)
        check_listen(where, b, env)
        check_security(where, b, env, [m["mountPath"] for m in c.get("volumeMounts", [])])

        # ports and Service
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        check(ports == {"grpc": b.grpc_port, "http": b.http_port},
              f"{where}: container ports {ports}, binary grpc {b.grpc_port} http {b.http_port}")
        sports = {p["name"]: (p["port"], p.get("targetPort")) for p in service["spec"]["ports"]}
        check(sports.get("grpc", (None,))[0] == b.grpc_port and sports.get("http", (None,))[0] == b.http_port,
              f"{where}: Service ports {sports}")
        for pname, (_, target) in sports.items():
            check(target in (pname, ports.get(pname)), f"{where}: Service port {pname} targets {target}")
        labels = dep["spec"]["template"]["metadata"]["labels"]
        check(all(labels.get(k) == v for k, v in service["spec"]["selector"].items()),
              f"{where}: the Service's selector does not match the pods")

        # probes: native gRPC health, or /healthz on the HTTP side where TLS is on
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            p = c.get(kind)
            if not check(p is not None, f"{where}: no {kind}"):
                continue
            if "grpc" in p:
                check(p["grpc"].get("port") == b.grpc_port, f"{where}: {kind} gRPC port {p['grpc']}")
                check(not p["grpc"].get("service"), f"{where}: {kind} asks a named health service")
            elif "httpGet" in p:
                check(tls, f"{where}: {kind} is not a gRPC probe")
                check(p["httpGet"].get("path") == "/healthz" and p["httpGet"].get("port") in ("http", b.http_port),
                      f"{where}: {kind} {p['httpGet']} is not the HTTP side's /healthz")
            else:
                check(False, f"{where}: {kind} is neither gRPC nor /healthz")

        # security and resources
        psc = pod.get("securityContext", {})
        csc = c.get("securityContext", {})
        check(psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0,
              f"{where}: pod may run as root")
        check(csc.get("readOnlyRootFilesystem") is True, f"{where}: root filesystem is writable")
        check(csc.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation allowed")
        check(pod.get("enableServiceLinks") is False,
              f"{where}: service links on (they add FAZHI_*-looking variables)")
        res = c.get("resources", {})
        for part in ("requests", "limits"):
            check(set(res.get(part, {})) >= {"cpu", "memory"}, f"{where}: no cpu/memory {part}")

        # stopping: preStop + --shutdown_grace + margin
        pre_stop = 0
        cmd = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
        if len(cmd) == 2 and cmd[0] == "sleep":
            pre_stop = float(cmd[1])
        check_grace(where, b, env, pod.get("terminationGracePeriodSeconds", 30), pre_stop)

        # volumes: every mount has a volume; SQLite lives on a claim
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        for m in mounts.values():
            check(m["name"] in volumes, f"{where}: mount {m['mountPath']} has no volume {m['name']}")
        for v in volumes.values():
            if "secret" in v:
                check(v["secret"]["secretName"] in documented,
                      f"{where}: Secret {v['secret']['secretName']} is not named in the overlay's kustomization")
        check("/tmp" in mounts, f"{where}: no writable /tmp on a read-only root")
        db = env.get("FAZHI_DB")
        if svc in STORE_SERVICES:
            if not check(db is not None, f"{where}: no FAZHI_DB"):
                continue
            if db.startswith("sqlite:"):
                d = os.path.dirname(db[len("sqlite:"):])
                m = mounts.get(d)
                if check(m is not None and not m.get("readOnly"), f"{where}: {db} is not on a writable mount"):
                    claim = volumes.get(m["name"], {}).get("persistentVolumeClaim", {}).get("claimName")
                    check(claim in pvcs, f"{where}: {db} is not on a rendered PersistentVolumeClaim")
                check(dep["spec"].get("replicas", 1) == 1 and dep["spec"].get("strategy", {}).get("type") == "Recreate",
                      f"{where}: SQLite needs one replica and the Recreate strategy")
            else:
                check(db.startswith(("postgresql://", "postgres://")), f"{where}: FAZHI_DB {db!r}")
                check(dep["spec"].get("replicas", 1) >= 2, f"{where}: on PostgreSQL, want several replicas")
                for cluster in by_kind.get("Cluster", {}).values():
                    check_cnpg_service(where, cluster, env)
        if svc == "gateway":
            for backend in STORE_SERVICES:
                target = env.get(f"FAZHI_{backend.upper()}_TARGET")
                check(target == f"fazhi-{backend}:{binaries[backend].grpc_port}",
                      f"{where}: {backend} target {target!r}, want fazhi-{backend}:{binaries[backend].grpc_port}")


def check_cnpg_service(where, cluster, env):
    """A service on a CloudNativePG Cluster: HA as asked (several instances,
    a synchronous standby), writes through its -rw Service, stale reads
    through -ro, its database made by the Cluster's bootstrap."""
    name = cluster["metadata"]["name"]
    spec = cluster["spec"]
    check(cluster["apiVersion"].startswith("postgresql.cnpg.io/"), f"{where}: Cluster {name} is not CloudNativePG's")
    check(spec.get("instances", 1) >= 2, f"{where}: Cluster {name} has no standby")
    check(spec.get("minSyncReplicas", 0) >= 1, f"{where}: Cluster {name} replicates asynchronously")
    boot = spec.get("bootstrap", {}).get("initdb", {})
    made = [boot.get("database")] + re.findall(r"CREATE DATABASE (\w+)", " ".join(boot.get("postInitSQL", [])))
    for flag, service in (("FAZHI_DB", f"{name}-rw"), ("FAZHI_DB_READ", f"{name}-ro")):
        m = re.match(r"^postgres(?:ql)?://[^@/]+@([^:/]+)(?::\d+)?/(\w+)", env.get(flag) or "")
        if check(m is not None, f"{where}: {flag} {env.get(flag)!r} is not a PostgreSQL URL"):
            check(m.group(1) == service, f"{where}: {flag} goes to {m.group(1)}, not {service}")
            check(m.group(2) in made, f"{where}: Cluster {name} does not create database {m.group(2)}")
    check(env.get("PGPASSWORD") == "<secret>", f"{where}: no PGPASSWORD from a Secret")


# ---------------------------------------------------------------- compose

def interpolate(value, variables):
    def sub(m):
        if m.group(0) == "$$":
            return "$"
        name, op, default = m.group(1), m.group(2), m.group(3) or ""
        v = variables.get(name)
        if op == ":-":
            return v if v else default
        if op == "-":
            return v if v is not None else default
        return v or ""
    return re.sub(r"\$\$|\$\{(\w+)(?:(:-|-)([^}]*))?\}", sub, value)


def walk(node, variables):
    if isinstance(node, dict):
        return {k: walk(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v, variables) for v in node]
    if isinstance(node, str):
        return interpolate(node, variables)
    return node


def read_env_file(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            k, _, v = line.partition("=")
            out[k.strip()] = v.strip()
    return out


def check_compose(source, binaries, cli_help):
    deploy = os.path.join(source, "deploy")
    raw = yaml.safe_load(open(os.path.join(deploy, "compose.yaml"), encoding="utf-8"))
    pg_env = read_env_file(os.path.join(deploy, "postgres.env"))
    ha_env = read_env_file(os.path.join(deploy, "postgres-ha.env"))
    init_sql = open(os.path.join(deploy, "postgres-init.sql"), encoding="utf-8").read()
    for profile, variables in (("default", {}), ("postgres", pg_env), ("postgres-ha", ha_env)):
        doc = walk(raw, variables)
        active = set(variables.get("COMPOSE_PROFILES", "").split(",")) - {""}
        services = {n: s for n, s in doc["services"].items()
                    if not s.get("profiles") or set(s["profiles"]) & active}
        for svc in SERVICES:
            b = binaries[svc]
            where = f"compose ({profile}) {svc}"
            s = services.get(svc)
            if not check(s is not None, f"{where}: no such service"):
                continue
            check(s.get("command") == [f"fazhi-{svc}"], f"{where}: command {s.get('command')}")
            env = s.get("environment", {})
            if isinstance(env, list):
                env = dict(e.split("=", 1) for e in env)
            env = {k: str(v) for k, v in env.items()}
            for k, v in env.items():
                check_env(where, b, k, v, False)
            check_listen(where, b, env)
            check_security(where, b, env, [str(v).split(":")[1] for v in s.get("volumes", [])] +
                           [f"/run/secrets/{x}" if isinstance(x, str)
                            else os.path.dirname(x.get("target") or f"/run/secrets/{x.get('source')}/x")
                            for x in s.get("secrets", [])])
            published = {int(str(p).rsplit(":", 1)[1].split("/")[0]) for p in s.get("ports", [])}
            check(published == {b.grpc_port, b.http_port}, f"{where}: publishes {published}")
            test = s.get("healthcheck", {}).get("test", [])
            check(test[:3] == ["CMD", "fazhi", "wait-ready"] and f"--target=127.0.0.1:{b.grpc_port}" in test,
                  f"{where}: healthcheck {test} is not fazhi wait-ready on port {b.grpc_port}")
            check("wait-ready" in cli_help, f"{where}: the CLI has no wait-ready command")
            uid = str(s.get("user", "0")).split(":")[0]
            check(uid not in ("0", "root"), f"{where}: runs as root")
            check(s.get("read_only") is True, f"{where}: root filesystem is writable")
            check("/tmp" in (s.get("tmpfs") or []), f"{where}: no /tmp on a read-only root")
            check_grace(where, b, env, parse_duration(s.get("stop_grace_period", "10s")), 0)
            mounts = {str(v).split(":")[1] for v in s.get("volumes", [])}
            db = env.get("FAZHI_DB")
            if svc in STORE_SERVICES:
                if not check(db, f"{where}: no FAZHI_DB"):
                    continue
                if profile == "default":
                    check(db.startswith("sqlite:") and os.path.dirname(db[len("sqlite:"):]) in mounts,
                          f"{where}: {db} is not SQLite on a volume")
                else:
                    check_compose_postgres(where, profile, services, init_sql, "FAZHI_DB", db,
                                           "read-write")
                    if profile == "postgres-ha":
                        check_compose_postgres(where, profile, services, init_sql, "FAZHI_DB_READ",
                                               env.get("FAZHI_DB_READ", ""), "prefer-standby")
            else:
                for backend in STORE_SERVICES:
                    target = env.get(f"FAZHI_{backend.upper()}_TARGET")
                    check(target == f"{backend}:{binaries[backend].grpc_port}",
                          f"{where}: {backend} target {target!r}")
        if profile == "postgres":
            check("postgres" in services, "compose (postgres): no postgres service")
        if profile == "postgres-ha":
            check({"pg-monitor", "pg-node1", "pg-node2"} <= set(services),
                  "compose (postgres-ha): no pg_auto_failover monitor and two nodes")


def check_compose_postgres(where, profile, services, init_sql, name, db, session_attrs):
    """A (multi-host) PostgreSQL URL whose hosts are services of the profile
    and whose database postgres-init.sql creates; in the HA profile, with the
    target_session_attrs that sends it to the primary, or a standby."""
    m = re.match(r"^postgres(?:ql)?://[^@/]+@([^/]+)/(\w+)", db)
    if not check(m is not None, f"{where}: {name} {db!r} is not a PostgreSQL URL"):
        return
    hosts = [h.split(":")[0] for h in m.group(1).split(",")]
    for host in hosts:
        check(host in services and profile in (services[host].get("profiles") or []),
              f"{where}: database host {host} is not a service of the {profile} profile")
    check(re.search(rf"CREATE DATABASE {m.group(2)}\b", init_sql) is not None,
          f"{where}: postgres-init.sql does not create {m.group(2)}")
    if profile == "postgres-ha":
        check(len(hosts) >= 2 and f"target_session_attrs={session_attrs}" in db,
              f"{where}: {name} {db!r} does not name every node with "
              f"target_session_attrs={session_attrs}")


# ---------------------------------------------------------------- image

def check_containerfile(source, binaries):
    text = open(os.path.join(source, "deploy", "Containerfile"), encoding="utf-8").read()
    exposed = {int(p) for line in re.findall(r"^EXPOSE (.*)$", text, re.M) for p in line.split()}
    want = {b.grpc_port for b in binaries.values()} | {b.http_port for b in binaries.values()}
    check(exposed == want, f"Containerfile: EXPOSE {sorted(exposed)}, the binaries' ports {sorted(want)}")
    users = re.findall(r"^USER (\S+)", text, re.M)
    check(bool(users) and users[-1].split(":")[0] not in ("0", "root"), "Containerfile: runs as root")
    for svc in SERVICES:
        check(f"fazhi-{svc}" in text, f"Containerfile: fazhi-{svc} is not copied")
    check("scripts/install-deps.sh" in text and "scripts/build.sh" in text,
          "Containerfile: does not build with scripts/install-deps.sh and scripts/build.sh")


# ---------------------------------------------------------------- README

def flag_table(binaries):
    names = []
    for svc in SERVICES:
        for n in binaries[svc].flags:
            if n not in names:
                names.append(n)
    common = [n for n in names if all(n in binaries[s].flags for s in SERVICES)]
    names = sorted(common) + sorted(n for n in names if n not in common)
    rows = ["| flag | environment | servers | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for n in names:
        have = [s for s in SERVICES if n in binaries[s].flags]
        f = binaries[have[0]].flags[n]
        if n == "listen":
            default = ", ".join(f"{s} `{binaries[s].listen}`" for s in have)
        elif n == "http_listen":
            default = ", ".join(f"{s} `{binaries[s].http_listen}`" for s in have)
        elif n == "db":
            default = ", ".join(f"{s} `{binaries[s].db}`" for s in have if binaries[s].db) + " (gateway: none)"
        else:
            defaults = {binaries[s].flags[n].default for s in have}
            default = ", ".join(f"`{d}`" if d else "empty" for d in sorted(defaults))
        servers = "all" if len(have) == len(SERVICES) else ", ".join(have)
        env = f"`{f.env}`" if f.env else "—"
        rows.append(f"| `--{n}` | {env} | {servers} | {default} | {f.meaning.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def check_readme(source, binaries, write):
    path = os.path.join(source, FLAG_TABLE_DOC)
    text = open(path, encoding="utf-8").read()
    begin = text.find(README_BEGIN)
    end = text.find(README_END)
    if not check(0 <= begin < end, f"{FLAG_TABLE_DOC}: no {README_BEGIN} … {README_END} block"):
        return
    body_start = text.index("\n", begin) + 1
    table = flag_table(binaries)
    if write:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text[:body_start] + table + text[end:])
        print(f"{FLAG_TABLE_DOC}: flag table rewritten")
        return
    check(text[body_start:end] == table,
          f"{FLAG_TABLE_DOC}: the flag table differs from the binaries' --helpfull; regenerate it with\n"
          "  /usr/bin/python3 tests/deploy/check_deploy.py --bin-dir=build/bin --source=. --write-docs\n"
          "want:\n" + table)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--kubectl", default="kubectl")
    parser.add_argument("--write-docs", "--write-readme", dest="write_docs", action="store_true")
    args = parser.parse_args()

    bin_dir = os.path.abspath(args.bin_dir)
    binaries = {s: Binary(s, os.path.join(bin_dir, f"fazhi-{s}")) for s in SERVICES}
    for b in binaries.values():
        print(f"fazhi-{b.service}: {len(b.flags)} flags, gRPC {b.listen}, HTTP {b.http_listen}"
              + (f", store {b.db}" if b.db else ""))
    check_readme(args.source, binaries, args.write_docs)
    if args.write_docs:
        return 0
    cli_help = subprocess.run([os.path.join(bin_dir, "fazhi"), "--help"],
                              capture_output=True, text=True, timeout=30).stdout

    kubectl = shutil.which(args.kubectl)
    if not kubectl:
        sys.exit(f"check_deploy.py: {args.kubectl} not found (scripts/install-deps.sh installs it)")
    overlays_dir = os.path.join(args.source, "deploy", "k8s", "overlays")
    overlays = sorted(os.listdir(overlays_dir))
    check(len(overlays) >= 2, "k8s: fewer than two overlays")
    for name in overlays:
        overlay = os.path.join(overlays_dir, name)
        # Secrets are made by the operator: the overlay's kustomization names them.
        documented = set()
        d = overlay
        while os.path.isfile(os.path.join(d, "kustomization.yaml")):
            k = open(os.path.join(d, "kustomization.yaml"), encoding="utf-8").read()
            documented |= set(re.findall(r"\b(fazhi-[a-z-]+)\b", k))
            bases = yaml.safe_load(k).get("bases") or []
            d = os.path.normpath(os.path.join(d, bases[0])) if bases else ""
        docs = render(kubectl, overlay)
        if docs:
            check_overlay(name, docs, binaries, documented)
            print(f"k8s/{name}: {len(docs)} objects rendered")
    check_compose(args.source, binaries, cli_help)
    check_containerfile(args.source, binaries)

    for e in errors:
        print("FAIL " + e)
    print(f"{checks - len(errors)} passed, {len(errors)} failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
