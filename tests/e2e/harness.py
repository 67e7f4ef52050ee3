"""Shared harness of the Python end-to-end and reliability tests.

What every test that drives the real binaries needs, in one place:

* `parse_args(...)` — the command line every test script takes (binaries,
  stubs, CLI, demo folder, --keep, --postgres), stubs made importable;
* `use_stubs(folder)` — makes the stubs generated at build time importable;
* `service_command(...)` — THE command line of a fazhi service binary: a flag
  every test server needs is added there once (`COMMON_SERVER_FLAGS`);
* `open_channel(target)` and `client_env(...)` — THE way tests reach a
  server, over gRPC (plaintext or TLS) or through the `fazhi` CLI;
* `ServerProcess` — one server on a free loopback port: start (waits for
  health SERVING), SIGTERM, SIGKILL, restart, log, resident memory;
* `start_demo_stack(...)` — study, duty, report and the gateway over them;
* `run_cli(...)`, `load_demo(...)`, `create_key(...)` — the CLI, the demo
  data loaded through it as scripts/demo.sh does, API keys;
* `make_test_certificates(folder)` — a throwaway CA and certificates signed by it;
* `bearer(key)`, `http_request(...)` — a key on a call, one HTTP request;
* `new_database(...)` — a SQLite file, or a fresh PostgreSQL database on the
  cluster of scripts/with-postgres.sh;
* `rich_status`, `bad_request`, `bad_request_fields` — the
  `google.rpc.Status` in `grpc-status-details-bin` and its BadRequest;
* `RpcTestCase` — assertRpcFails / assertInvalidFields;
* `run_tests(title, argv)` — unittest with a one-line-per-test summary.

The Python stubs come from the repository's protos at build time (target
fazhi_e2e_pystubs). Every server runs on a free port of 127.0.0.1, its store a
SQLite file in a temporary folder removed at the end (--keep keeps it), or with
--postgres a fresh PostgreSQL database. Needs grpcio and protobuf (Debian
python3-grpcio, python3-protobuf).
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

# How many times slower the binaries run: scripts/sanitize.sh sets
# FAZHI_SANITIZER, and timeouts, deadlines and time bounds scale by this.
SANITIZER = os.environ.get("FAZHI_SANITIZER", "")
SLOWDOWN = {"": 1, "asan": 2, "tsan": 5}.get(SANITIZER, 5)

START_TIMEOUT = 20 * SLOWDOWN  # seconds until the health service says SERVING
STOP_TIMEOUT = 15 * SLOWDOWN  # seconds from SIGTERM to exit

# Flags every server started by a test gets, whatever the service. These
# tests are about each service's behaviour, not credentials
# (security_e2e_test.py is): local development mode, plaintext on loopback.
COMMON_SERVER_FLAGS = ["--log_format=json", "--insecure_dev_mode", "--allow_plaintext"]

def parse_args(doc, binaries=(), binary=None, cli=None, demo=None, postgres=False, extra=None):
    """The test script's command line: `--<name>` for each of `binaries`
    (the fazhi-<name> executables), `--binary` for the one service `binary`,
    --stubs, --cli and --demo (True: required; a help text: optional),
    --keep, --postgres with `postgres`, and what `extra(parser)` adds.
    Makes the stubs importable; returns (args, the arguments left for
    unittest)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if binary:
        parser.add_argument("--binary", required=True, help=f"the fazhi-{binary} executable")
    for name in binaries:
        parser.add_argument(f"--{name}", required=True, help=f"the fazhi-{name} executable")
    for flag, value, default_help in (("--cli", cli, "the fazhi CLI executable"),
                                      ("--demo", demo, "the deploy/demo folder")):
        if value:
            parser.add_argument(flag, required=value is True,
                                help=default_help if value is True else value)
    parser.add_argument("--stubs", required=True, help="folder of the generated Python stubs")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    if postgres:
        add_postgres_flag(parser)
    if extra:
        extra(parser)
    args, rest = parser.parse_known_args()
    use_stubs(args.stubs)
    return args, rest


def use_stubs(folder):
    """Makes the Python stubs generated from protos/ importable.

    grpc/health/v1 is generated next to the other stubs, but "grpc" is the
    installed grpcio package: let that package find the generated
    subpackage too."""
    folder = os.path.abspath(folder)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    generated = os.path.join(folder, "grpc")
    if generated not in grpc.__path__:
        grpc.__path__.append(generated)


# --------------------------------------------------------------------------
# Command lines and channels: the one place flags and credentials go.


def service_command(binary, listen, http_listen="", db=None, extra_args=(),
                    flags=COMMON_SERVER_FLAGS):
    """The command line of a fazhi service binary (study, duty, report,
    gateway): gRPC on `listen`, the HTTP side on `http_listen` (empty: off),
    the store `db` (None: the gateway, which keeps none). `flags` replace
    COMMON_SERVER_FLAGS for a server with keys or TLS."""
    command = [binary, f"--listen={listen}", f"--http_listen={http_listen}", *flags]
    if db is not None:
        command.append(f"--db={db}")
    command.extend(extra_args)
    return command


def open_channel(target, options=None, credentials=None):
    """A client channel to a test server; over TLS with `credentials` (the
    test certificates name localhost)."""
    if credentials is None:
        return grpc.insecure_channel(target, options=options)
    options = [("grpc.ssl_target_name_override", "localhost"), *(options or ())]
    return grpc.secure_channel(target, credentials, options=options)


def client_env(keys_file=None, api_key=None, **targets):
    """The environment of the `fazhi` CLI: FAZHI_<NAME>_TARGET for each
    keyword (study=…, duty=…, report=…, gateway=…); with `keys_file` the
    keys file and the caller's API key (none: no FAZHI_API_KEY at all)."""
    env = dict(os.environ)
    for name, target in targets.items():
        env[f"FAZHI_{name.upper()}_TARGET"] = target
    if keys_file:
        env["FAZHI_KEYS_FILE"] = keys_file
        env.pop("FAZHI_API_KEY", None)
        if api_key:
            env["FAZHI_API_KEY"] = api_key
    return env


def cli_process(cli, env, *args, check=True, timeout=120):
    """Runs the `fazhi` CLI; the finished process (AssertionError with its
    stderr when it failed and `check`)."""
    done = subprocess.run([cli, *args], env=env, capture_output=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"fazhi {' '.join(args)} exited with {done.returncode}:\n"
                             f"{done.stderr.decode(errors='replace')}")
    return done


def run_cli(cli, env, *args, timeout=120):
    """Runs the `fazhi` CLI; its stdout, or AssertionError with its stderr."""
    return cli_process(cli, env, *args, timeout=timeout).stdout.decode()


def create_key(cli, keys_file, caller, roles=None, extra=(), timeout=120):
    """`fazhi keys create` into `keys_file`: the new API key (empty with --no_key)."""
    args = ["keys", "create", f"--caller={caller}", *extra]
    if roles:
        args.append(f"--roles={roles}")
    return run_cli(cli, client_env(keys_file=keys_file), *args, timeout=timeout).strip()


def write_gateway_key(cli, keys_file, path):
    """The gateway's own caller (reads everything, publishes on an approver's
    behalf as a delegate), its key written to `path`."""
    with open(path, "w") as f:
        f.write(run_cli(cli, client_env(keys_file=keys_file), "keys", "create",
                        "--caller=fazhi-gateway", "--roles=reader:*", "--delegate"))


def bearer(key):
    """The call metadata that presents an API key (none without one)."""
    return (("authorization", f"Bearer {key}"),) if key else ()


def http_request(port, method, path, key=None, body=None, headers=None, timeout=30):
    """(status, headers, body bytes) of one HTTP request to 127.0.0.1:`port`
    over a fresh connection; `key` goes in the Authorization header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = dict(headers or {})
        if key:
            all_headers["Authorization"] = f"Bearer {key}"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


DEMO_ORG = "lushan-minzheng"
DEMO_OTHER_ORG = "lushan-shijianju"


def load_demo(cli, demo, env):
    """The demo data (deploy/demo), loaded through the CLI the way
    scripts/demo.sh loads it; `env` from client_env()."""
    folder = os.path.join(demo, DEMO_ORG)
    org = f"--org={DEMO_ORG}"
    run_cli(cli, env, "study", "put-plan", org, "--year=2024", f"--file={folder}/plan-2024.json")
    run_cli(cli, env, "study", "import-sessions", org, f"--file={folder}/sessions.jsonl")
    run_cli(cli, env, "study", "import-events", org, f"--file={folder}/events.jsonl")
    run_cli(cli, env, "duty", "import-powers", org, f"--file={folder}/powers.jsonl")
    run_cli(cli, env, "duty", "import-officers", org, f"--file={folder}/officers.jsonl")
    run_cli(cli, env, "duty", "allocate", org, "--as-of=2024-12-31", "--commit")
    # The second department: its study records of 2023 and 2024 (the year
    # before makes 同比 compare), no duty records.
    folder = os.path.join(demo, DEMO_OTHER_ORG)
    org = f"--org={DEMO_OTHER_ORG}"
    run_cli(cli, env, "study", "import-sessions", org, f"--file={folder}/sessions.jsonl")
    run_cli(cli, env, "study", "import-events", org, f"--file={folder}/events.jsonl")
    for name in (DEMO_ORG, DEMO_OTHER_ORG):
        folder = os.path.join(demo, name)
        run_cli(cli, env, "report", "put-org", f"--file={folder}/org.json")
        run_cli(cli, env, "report", "put", f"--org={name}", "--year=2024",
                f"--file={folder}/report-2024.json")


def make_test_certificates(folder, clients=()):
    """A throwaway CA made with openssl in `folder` (ca.pem, ca.key) and, signed
    by it, server.pem/server.key for localhost and 127.0.0.1, and for each
    (name, common name) of `clients` a client certificate name.pem/name.key."""
    os.makedirs(folder, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=fazhi test CA", "-keyout", "ca.key", "-out", "ca.pem")
    certificates = [("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n")]
    certificates += [(name, cn, f"subjectAltName=DNS:{cn}\nextendedKeyUsage=clientAuth\n")
                     for name, cn in clients]
    for name, cn, extensions in certificates:
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}",
                "-keyout", f"{name}.key", "-out", f"{name}.csr")
        with open(os.path.join(folder, f"{name}.ext"), "w") as f:
            f.write(extensions)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# Databases and work folders.


def postgres_url():
    return os.environ.get("FAZHI_TEST_POSTGRES_URL", "")


def add_postgres_flag(parser):
    """The --postgres flag of a test script: its servers run on PostgreSQL."""
    parser.add_argument("--postgres", action="store_true",
                        help="run the servers on PostgreSQL: a fresh database per server on the "
                             "cluster named by $FAZHI_TEST_POSTGRES_URL (scripts/with-postgres.sh)")


def exit_unless_postgres():
    """For a --postgres run: exit 77 (ctest SKIP_RETURN_CODE) without a
    cluster, or 1 when FAZHI_REQUIRE_POSTGRES says there must be one."""
    if postgres_url():
        return
    if os.environ.get("FAZHI_REQUIRE_POSTGRES"):
        print("FAZHI_REQUIRE_POSTGRES is set but FAZHI_TEST_POSTGRES_URL is not", file=sys.stderr)
        sys.exit(1)
    print("skipped: no PostgreSQL (run under scripts/with-postgres.sh)", file=sys.stderr)
    sys.exit(77)


def new_database(workdir, label, postgres=False):
    """A database URL for a new server: a SQLite file in `workdir`, or a
    fresh PostgreSQL database on the cluster of $FAZHI_TEST_POSTGRES_URL."""
    if not postgres:
        return f"sqlite:{os.path.join(workdir, label + '.db')}"
    admin = postgres_url()
    name = f"e2e_{label}_{random.randrange(1 << 48):012x}"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    return admin.rsplit("/", 1)[0] + "/" + name


def make_workdir(prefix, keep=False):
    """A temporary folder removed when the test module ends (kept, and
    named on stderr, with `keep`). Call from setUpModule."""
    workdir = tempfile.mkdtemp(prefix=prefix)

    def remove():
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    unittest.addModuleCleanup(remove)
    return workdir


# --------------------------------------------------------------------------
# Server processes.


class ServerExited(RuntimeError):
    pass


class ServerProcess:
    """One fazhi server process on 127.0.0.1.

    `db` is the store URL (None for the gateway), `http` turns the HTTP side
    on (on a free port), `extra_args` are the service's own flags,
    `stub_class` makes `stub()` return that stub over the channel. `flags`
    replace COMMON_SERVER_FLAGS (keys files, TLS); `credentials` are the
    client's TLS credentials for its channels."""

    _count = 0

    def __init__(self, binary, name, workdir, db=None, http=False, extra_args=(),
                 stub_class=None, flags=COMMON_SERVER_FLAGS, credentials=None):
        self.binary = binary
        self.name = name
        self.workdir = workdir
        self.db = db
        self.http = http
        self.extra_args = list(extra_args)
        self.stub_class = stub_class
        self.flags = list(flags)
        self.credentials = credentials
        self.proc = None
        self.port = None
        self.http_port = None
        self.channel = None
        self.log_path = None

    @property
    def target(self):
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid

    def command(self):
        http = f"127.0.0.1:{self.http_port}" if self.http else ""
        return service_command(self.binary, self.target, http, self.db, self.extra_args,
                               self.flags)

    def start(self, port=None):
        """Starts on `port` (a restart keeps its port), or on a free one;
        returns once health says SERVING."""
        # A free port may be taken between the probe and the server's bind:
        # try a few.
        for _ in range(3):
            ServerProcess._count += 1
            self.port = port or free_port()
            self.http_port = free_port() if self.http else None
            self.log_path = os.path.join(self.workdir, f"{self.name}-{ServerProcess._count}.log")
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=subprocess.STDOUT)
            try:
                self._wait_serving()
                return self
            except ServerExited:
                if "cannot listen" not in self.log_tail():
                    raise
                time.sleep(0.2)
        raise RuntimeError(f"{self.name}: could not listen\n{self.log_tail()}")

    def start_for_module(self):
        """start(), and a SIGKILL when the test module ends if it still runs."""
        unittest.addModuleCleanup(self.kill_if_running)
        return self.start()

    def _wait_serving(self):
        from grpc.health.v1 import health_pb2, health_pb2_grpc  # generated: after use_stubs()
        deadline = time.monotonic() + START_TIMEOUT
        # A gRPC channel that found the port closed backs off for seconds
        # before it tries again: open it once the port accepts connections.
        while True:
            self._check_alive()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError as e:
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"{self.name} not listening after {START_TIMEOUT} s "
                                       f"({e})\n{self.log_tail()}")
                time.sleep(0.02)
        self.channel = self.new_channel()
        health = health_pb2_grpc.HealthStub(self.channel)
        last = None
        while True:
            self._check_alive()
            try:
                reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
                last = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.RpcError as e:
                last = f"{e.code().name}: {e.details()}"
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.name} not SERVING after {START_TIMEOUT} s (last: "
                                   f"{last})\n{self.log_tail()}")
            time.sleep(0.05)

    def _check_alive(self):
        if self.proc.poll() is not None:
            self.close_channel()
            raise ServerExited(f"{self.name} exited with {self.proc.returncode} while "
                               f"starting\n{self.log_tail()}")

    def close_channel(self):
        if self.channel is not None:
            self.channel.close()
            self.channel = None

    def new_channel(self, credentials=None, options=None):
        """A channel of its own (the server's TLS credentials unless others are given)."""
        return open_channel(self.target, options=options,
                            credentials=credentials or self.credentials)

    def stub(self):
        return self.stub_class(self.channel)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, close_channel=False):
        """SIGTERM; returns the exit code (None when it did not exit in time).

        By default the client channel stays open meanwhile, as a real
        client's would. (Observed: with an idle client connection open the
        server's graceful drain takes about 5 s — min(5 s, --shutdown_grace) —
        and with none it exits at once.)"""
        if close_channel:
            self.close_channel()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        finally:
            self.close_channel()

    def kill(self):
        """SIGKILL, as a crash or the OOM killer would."""
        self.close_channel()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=STOP_TIMEOUT)

    def kill_if_running(self):
        if self.running():
            self.kill()

    def stop(self):
        """SIGTERM if it runs (SIGKILL if it does not exit in time); the
        channel is closed first, so that the server does not wait for it."""
        if self.running():
            self.terminate(close_channel=True)
        else:
            self.close_channel()

    def memory_kib(self, field="VmRSS"):
        """Resident memory (VmRSS, or the peak VmHWM) in KiB."""
        return memory_kib(self.pid, field)

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except (OSError, TypeError):
            return ""

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])


def thread_states(pid):
    """The state letter of every thread of a process (/proc/PID/task/*/stat)."""
    states = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                states.append(f.read().rsplit(")", 1)[1].split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that has just ended
    return states


def stop_process(proc, timeout):
    """SIGSTOP, and return only once every thread of it is stopped (state T):
    on a busy machine a thread may still run for a while after the signal is
    sent, and answer a call."""
    proc.send_signal(signal.SIGSTOP)
    give_up = time.monotonic() + timeout
    while set(thread_states(proc.pid)) != {"T"}:
        if time.monotonic() > give_up:
            raise AssertionError(f"pid {proc.pid} not stopped {timeout} s after SIGSTOP: "
                                 f"thread states {thread_states(proc.pid)}")
        time.sleep(0.01)


def memory_kib(pid, field="VmRSS"):
    """A memory figure of /proc/PID/status (VmRSS, VmHWM, …) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def start_demo_stack(args, workdir, db_prefix="", http_gateway=False, gateway_args=(),
                     report_target=None):
    """fazhi-study, -duty and -report, each on a new database (PostgreSQL
    with args.postgres), and fazhi-gateway over them; {name: server}, all
    killed when the module ends. `report_target` puts something between the
    gateway and the report service; `gateway_args` are the gateway's own."""
    servers = {}
    for name in ("study", "duty", "report"):
        db = new_database(workdir, db_prefix + name, postgres=getattr(args, "postgres", False))
        servers[name] = ServerProcess(getattr(args, name), name, workdir,
                                      db=db).start_for_module()
    targets = {name: servers[name].target for name in servers}
    if report_target:
        targets["report"] = report_target(servers["report"].target)
    gateway_flags = [*(f"--{name}_target={target}" for name, target in targets.items()),
                     *gateway_args]
    servers["gateway"] = ServerProcess(args.gateway, "gateway", workdir, http=http_gateway,
                                       extra_args=gateway_flags).start_for_module()
    return servers


def stack_env(servers, actor):
    """The CLI's environment for the servers of start_demo_stack()."""
    return dict(client_env(**{n: s.target for n, s in servers.items()}), FAZHI_ACTOR=actor)


def health_status(channel, service="", timeout=10):
    """The health service's answer for `service` ("": the server), by name: "SERVING", …"""
    from grpc.health.v1 import health_pb2, health_pb2_grpc  # generated: after use_stubs()
    reply = health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(service=service), timeout=timeout)
    return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)


def listed_services(channel, timeout=10):
    """The names server reflection lists (what `grpcurl list` asks)."""
    from grpc.reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
    replies = list(reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=timeout))
    return {s.name for s in replies[0].list_services_response.service}


def stop_servers(*servers, close_channel=False):
    """tearDownModule: every server must still be up and exit 0 on SIGTERM."""
    problems = []
    for server in servers:
        if not server.running():
            problems.append(f"{server.name} died during the tests with {server.proc.returncode}\n"
                            f"{server.log_tail()}")
            continue
        code = server.terminate(close_channel=close_channel)
        if code != 0:
            problems.append(f"{server.name} exited with {code} after SIGTERM (expected 0 within "
                            f"{STOP_TIMEOUT} s)\n{server.log_tail()}")
    if problems:
        raise AssertionError("\n".join(problems))


# --------------------------------------------------------------------------
# Rich errors.


def rich_status(error):
    """The google.rpc.Status a failed call carried in grpc-status-details-bin."""
    from google.rpc import status_pb2
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return status_pb2.Status.FromString(value)
    return None


def _violations(error):
    from google.rpc import error_details_pb2
    status = rich_status(error)
    if status is None:
        return []
    violations = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations.extend(bad.field_violations)
    return violations


def bad_request(error):
    """{field: description} of every google.rpc.BadRequest violation of a failed call."""
    return {v.field: v.description for v in _violations(error)}


def bad_request_fields(error):
    """Field paths of every BadRequest violation, in order, repeats kept."""
    return [v.field for v in _violations(error)]


class RpcTestCase(unittest.TestCase):
    """assertRpcFails and assertInvalidFields; `rpc_timeout` per call."""

    maxDiff = None
    rpc_timeout = 10 * SLOWDOWN  # seconds

    def assertRpcFails(self, code, method, request, **kwargs):
        """Calls `method`, asserts it fails with `code`, returns the error."""
        kwargs.setdefault("timeout", self.rpc_timeout)
        with self.assertRaises(grpc.RpcError) as caught:
            method(request, **kwargs)
        error = caught.exception
        self.assertEqual(error.code(), code, f"details: {error.details()}")
        return error

    def assertInvalidFields(self, error, *fields):
        """The error is INVALID_ARGUMENT, with a BadRequest naming each field;
        returns {field: description}."""
        from google.rpc import code_pb2
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        status = rich_status(error)
        self.assertIsNotNone(status, "no grpc-status-details-bin trailer")
        self.assertEqual(status.code, code_pb2.INVALID_ARGUMENT)
        named = bad_request(error)
        for field in fields:
            self.assertIn(field, named, f"BadRequest does not name {field!r}: {named}")
        return named


# --------------------------------------------------------------------------
# Running.


class _Result(unittest.TextTestResult):
    """Remembers every outcome for the final summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.append(("PASS", test.id()))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes.append(("FAIL", test.id()))

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes.append(("ERROR", test.id() if hasattr(test, "id") else str(test)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes.append(("SKIP", test.id()))


def run_tests(title, argv, postgres=False):
    """unittest.main over the calling script's tests (`argv`: what the
    script's own argument parser left), a summary, and the exit code. A
    `postgres` run needs the cluster (exit_unless_postgres)."""
    if postgres:
        exit_unless_postgres()
    started = time.monotonic()
    program = unittest.main(
        module="__main__", argv=[sys.argv[0]] + list(argv),
        testRunner=unittest.TextTestRunner(resultclass=_Result, verbosity=2, stream=sys.stdout),
        exit=False)
    result = program.result
    print(f"\n==== {title} summary ({time.monotonic() - started:.1f} s) ====")
    for outcome, name in result.outcomes:
        print(f"  {outcome:5} {name.removeprefix('__main__.')}")
    failed = len(result.failures) + len(result.errors)
    print(f"  {result.testsRun} run, {failed} failed or errored, {len(result.skipped)} skipped: "
          f"{'OK' if result.wasSuccessful() else 'FAILED'}")
    sys.exit(0 if result.wasSuccessful() else 1)
