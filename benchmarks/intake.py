"""Intake benchmark: hotline orders created and claimed through the API of the production server.

A fresh PostgreSQL database ``fawang_bench`` (on 127.0.0.1:5432) gets the migrations, the Beijing
regions and the demo (institutions, accounts, dispatch rules, demo orders); ``fawang run`` (granian)
serves it. Then, over loopback only:

1. ceiling — concurrent clients fetch ``/healthz`` (one ``SELECT 1`` and a small JSON answer):
   the most requests per second this machine, server and client manage; the baseline.
2. create — ``--clients`` clients POST ``/api/v1/workorders/hotline-calls`` (distinct call ids)
   for ``--duration`` seconds, all routed to 朝阳区公共法律服务中心.
3. claim — ``--claimers`` clients, with the tokens of ~20 seats of that centre, POST
   ``/api/v1/workorders/claim-next`` until the queue answers 204; every created order must be
   handed out exactly once.
4. open loop — like a real hotline rather than clients in a tight loop: ``--seats`` seats each
   claim on average every ``--claim-every`` seconds, calls arrive at ``--arrivals`` per second and
   citizens read an order's status at ``--reads`` per second, all three as Poisson arrivals, for
   ``--open-duration`` seconds. A request's latency runs from the moment it was due, so a server
   that falls behind shows it.

Server CPU per request: the CPU seconds of the server's processes (granian and its workers,
from /proc) during a phase ÷ the requests answered in it; ``/healthz`` is the floor, measured in
the same run.

The client is Python threads with one keep-alive ``http.client`` connection each, on the same
machine as the server and the database: the ceiling is measured by the same client, so
``create_ratio`` compares like with like. The last line of output is one JSON object.
The database, the server and the temporary directory are removed at the end, also on errors.

    .venv/bin/python benchmarks/intake.py [--duration 15] [--clients 32] [--claimers 200]
                                          [--workers 2] [--threads 4] [--seats 200]
                                          [--claim-every 10] [--arrivals 50] [--reads 100]
                                          [--open-duration 60]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "fawang_bench"
DATABASE_URL = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
SEAT_ACCOUNTS = 20
MAX_CREATES = 100_000  # a bound on the create phase besides its duration
CLAIM_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 60.0
# granian closes a keep-alive connection that sends nothing for 30 s (its HTTP/1 header-read
# timeout); in the open loop a seat may stay idle that long, and a POST sent on the closing
# connection fails without reaching the server.
IDLE_REOPEN_S = 20.0
STEP_TIMEOUT_S = 600.0  # each set-up command
MAX_ERRORS_PER_CLIENT = 50
SINGLE_CLAIMS = 50  # claims by one claimer alone, before the crowd
SETUP_MARK = "BENCH-SETUP "
CALL_IDS = itertools.count(1)  # next() on a count is atomic under the GIL

# Run inside `fawang shell -c`: the demo orders (a no-op when `fawang demo` already built them),
# the extra seats, and the integration tokens. Prints one marked JSON line.
SETUP_SCRIPT = """
import json
import time
from fawang.core.models import Region, Role, User
from fawang.core.services import issue_api_token
from fawang.workorders.demo import build_demo_work_orders

start = time.perf_counter()
demo = build_demo_work_orders()
demo["seconds"] = round(time.perf_counter() - start, 1)
admin = User.objects.get(username="demo-security-admin")
seat = User.objects.get(username="demo-hotline-seat")
create_tokens = [
    issue_api_token(acting_user=admin, account=seat, name=f"benchmark create {i}")
    for i in range(__CLIENTS__)
]
claim_tokens = []
for i in range(__SEATS__):
    user = User.objects.filter(username=f"bench-seat-{i:02d}").first()
    if user is None:
        user = User(
            username=f"bench-seat-{i:02d}", role=Role.HOTLINE_SEAT, full_name=f"压测坐席{i:02d}",
            region=seat.region, institution=seat.institution,
        )
        user.set_unusable_password()
        user.save()
    claim_tokens.append(issue_api_token(acting_user=admin, account=user, name="benchmark claim"))
regions = list(
    Region.objects.filter(parent=seat.region).order_by("code").values_list("code", flat=True)[:12]
)
print("__MARK__" + json.dumps({
    "demo": demo, "create_tokens": create_tokens, "claim_tokens": claim_tokens,
    "regions": regions, "centre_id": seat.institution_id,
}))
"""

DESCRIPTIONS = (
    ("debt", "朋友借了我五万元，只有微信转账记录，现在不还，能起诉吗？"),
    ("labour", "公司拖欠三个月工资，老板说资金周转困难，我该怎么维权？"),
    ("marriage_family", "准备离婚，孩子五岁一直由我抚养，对方要争抚养权，法院怎么判？"),
    ("contract", "租房到期房东扣了全部押金，理由是墙面有污渍，合理吗？"),
    ("traffic_accident", "骑电动车被撞，交警认定对方全责，保险公司一直拖着不赔。"),
    ("consumer", "健身房关门了，办的年卡还剩大半，老板联系不上，怎么退钱？"),
)


# --- results ------------------------------------------------------------------------------


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter[int] = field(default_factory=Counter)
    numbers: list[str] = field(default_factory=list)  # order numbers returned


@dataclass
class PhaseResult:
    name: str
    clients: int
    elapsed: float
    results: list[ClientResult]
    cpu_percent: float = float("nan")  # the whole machine: server, database and this client
    lock_waiters: float = 0.0  # database sessions waiting for a lock, on average
    top_wait: str = ""  # the statement most often waiting for a lock
    server_cpu_s: float = float("nan")  # CPU seconds of the server's processes in the phase

    @property
    def latencies(self) -> list[float]:
        return sorted(x for r in self.results for x in r.latencies)

    @property
    def ok(self) -> int:
        return sum(len(r.latencies) for r in self.results)

    @property
    def statuses(self) -> Counter[int]:
        total: Counter[int] = Counter()
        for result in self.results:
            total.update(result.statuses)
        return total

    @property
    def numbers(self) -> list[str]:
        return [n for r in self.results for n in r.numbers]

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    @property
    def server_cpu_ms_per_ok(self) -> float:
        return 1000 * self.server_cpu_s / self.ok if self.ok else float("nan")

    def percentile_ms(self, fraction: float) -> float:
        values = self.latencies
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(fraction * len(values)))] * 1000


# --- HTTP ---------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; a broken connection is reopened on the next request, and so is
    one left idle longer than the server keeps it (as a browser's connection pool does)."""

    def __init__(self, port: int, token: str | None = None):
        self.port = port
        self.headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        self.last_used = time.perf_counter()

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        if time.perf_counter() - self.last_used > IDLE_REOPEN_S:
            self.connection.close()  # http.client connects again on the next request
        self.last_used = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0, b""

    def close(self) -> None:
        self.connection.close()


def timed(client: Client, result: ClientResult, method: str, path: str, body: Any = None) -> bytes:
    """Send one request, record its status and (when 2xx) its latency; return the body."""
    start = time.perf_counter()
    status, data = client.send(method, path, body)
    elapsed = time.perf_counter() - start
    result.statuses[status] += 1
    if 200 <= status < 300:
        result.latencies.append(elapsed)
    return data if 200 <= status < 300 else b""


def run_phase(name: str, clients: int, work: Callable[[int], ClientResult]) -> PhaseResult:
    """Start ``clients`` threads together; the phase lasts until the last one returns."""
    results: list[ClientResult] = [ClientResult() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def body(index: int) -> None:
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return PhaseResult(name, clients, time.perf_counter() - start, results)


# --- the three phases ---------------------------------------------------------------------


def ceiling_phase(port: int, clients: int, duration: float, name: str = "ceiling") -> PhaseResult:
    def work(index: int) -> ClientResult:
        client, result = Client(port), ClientResult()
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            timed(client, result, "GET", "/healthz")
        client.close()
        return result

    return run_phase(name, clients, work)


def hotline_call(index: int, sequence: int, regions: list[str]) -> dict[str, Any]:
    topic, description = DESCRIPTIONS[sequence % len(DESCRIPTIONS)]
    return {
        # Unique across phases: a repeated call id would return the first order (idempotency).
        "call_id": f"BENCH-{next(CALL_IDS):07d}",
        "caller_number": f"139{index:03d}{sequence % 100000:05d}",
        "business_line": "consultation",
        "topic": topic,
        "description": description,
        "requester_name": "压测来电人",
        "region_code": regions[(index + sequence) % len(regions)],
    }


def create_phase(
    port: int, tokens: list[str], regions: list[str], clients: int, duration: float, name: str
) -> PhaseResult:
    budget = iter(range(MAX_CREATES))
    lock = threading.Lock()

    def work(index: int) -> ClientResult:
        client, result = Client(port, tokens[index % len(tokens)]), ClientResult()
        deadline, sequence = time.perf_counter() + duration, 0
        while time.perf_counter() < deadline:
            with lock:
                if next(budget, None) is None:
                    break
            body = hotline_call(index, sequence, regions)
            data = timed(client, result, "POST", "/api/v1/workorders/hotline-calls", body)
            if data:
                result.numbers.append(json.loads(data)["number"])
            sequence += 1
        client.close()
        return result

    return run_phase(name, clients, work)


def claim_phase(
    port: int, tokens: list[str], claimers: int, name: str, limit: int = MAX_CREATES
) -> PhaseResult:
    """Each claimer asks for the next order until the queue is empty (204) or ``limit``."""

    def work(index: int) -> ClientResult:
        client, result = Client(port, tokens[index % len(tokens)]), ClientResult()
        deadline, errors = time.perf_counter() + CLAIM_TIMEOUT_S, 0
        while (
            time.perf_counter() < deadline
            and errors < MAX_ERRORS_PER_CLIENT
            and len(result.numbers) < limit
        ):
            start = time.perf_counter()
            status, data = client.send("POST", "/api/v1/workorders/claim-next")
            elapsed = time.perf_counter() - start
            result.statuses[status] += 1
            if status == 204:
                result.latencies.append(elapsed)
                break
            if status == 200:
                result.latencies.append(elapsed)
                result.numbers.append(json.loads(data)["number"])
            else:
                errors += 1
        client.close()
        return result

    return run_phase(name, claimers, work)


@dataclass
class OpenLoopResult:
    phase: PhaseResult  # all three streams together (statuses, server CPU)
    streams: dict[str, ClientResult]  # "claim", "create", "read"
    late_starts: int  # requests that left the client more than 50 ms after they were due


def poisson_schedule(rate: float, duration: float, rng: random.Random) -> list[float]:
    times, now = [], rng.expovariate(rate)
    while now < duration:
        times.append(now)
        now += rng.expovariate(rate)
    return times


def open_loop_phase(
    port: int, setup: dict[str, Any], args: argparse.Namespace, duration: float
) -> OpenLoopResult:
    """Claims, calls and status reads arriving as Poisson streams, whatever the server does."""
    rng = random.Random(12348)
    events = sorted(
        [(t, "claim") for t in poisson_schedule(args.seats / args.claim_every, duration, rng)]
        + [(t, "create") for t in poisson_schedule(args.arrivals, duration, rng)]
        + [(t, "read") for t in poisson_schedule(args.reads, duration, rng)]
    )
    streams = {name: ClientResult() for name in ("claim", "create", "read")}
    created: list[tuple[str, str]] = []  # (number, caller phone) for the status reads
    late = [0]
    lock = threading.Lock()
    due: queue.Queue[tuple[float, str] | None] = queue.Queue()
    creators, claimers = setup["create_tokens"], setup["claim_tokens"]

    def worker(index: int) -> None:
        clients = {
            "claim": Client(port, claimers[index % len(claimers)]),
            "create": Client(port, creators[index % len(creators)]),
            "read": Client(port),
        }
        sequence = 0
        while (item := due.get()) is not None:
            at, kind = item
            if time.perf_counter() - at > 0.05:
                with lock:
                    late[0] += 1
            status, data, body = 0, b"", None
            if kind == "create":
                body = hotline_call(
                    500 + index % 500, sequence, setup["regions"]
                )  # 11-digit phones
                sequence += 1
                status, data = clients[kind].send("POST", "/api/v1/workorders/hotline-calls", body)
            elif kind == "claim":
                status, data = clients[kind].send("POST", "/api/v1/workorders/claim-next")
            else:
                with lock:
                    pick = rng.choice(created) if created else None
                if pick is None:
                    continue
                status, data = clients[kind].send(
                    "GET", f"/api/v1/workorders/track?number={pick[0]}&phone={pick[1]}"
                )
            elapsed = time.perf_counter() - at  # from when it was due: open-loop latency
            with lock:
                result = streams[kind]
                result.statuses[status] += 1
                if 200 <= status < 300:
                    result.latencies.append(elapsed)
                    if status in {200, 201} and kind in {"claim", "create"}:
                        number = json.loads(data)["number"]
                        result.numbers.append(number)
                        if kind == "create" and body is not None:
                            created.append((number, body["caller_number"]))
        for client in clients.values():
            client.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.pool)]
    for thread in pool:
        thread.start()
    start = time.perf_counter()
    for offset, kind in events:
        pause = start + offset - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        due.put((start + offset, kind))
    for _ in pool:
        due.put(None)
    for thread in pool:
        thread.join()
    phase = PhaseResult("open loop", args.pool, time.perf_counter() - start, list(streams.values()))
    return OpenLoopResult(phase, streams, late[0])


def open_loop_table(result: OpenLoopResult) -> str:
    lines = [f"{'open loop':<20}{'ok':>7}{'errors':>7}{'per s':>8}{'p50 ms':>8}{'p99 ms':>8}"]
    for name, stream in result.streams.items():
        one = PhaseResult(name, 0, result.phase.elapsed, [stream])
        errors = sum(n for status, n in stream.statuses.items() if not 200 <= status < 300)
        lines.append(
            f"  {name:<18}{one.ok:>7}{errors:>7}{one.per_second:>8.1f}"
            f"{one.percentile_ms(0.5):>8.1f}{one.percentile_ms(0.99):>8.1f}"
            f"  statuses {dict(sorted(stream.statuses.items()))}"
        )
    lines.append(
        f"server CPU {result.phase.server_cpu_ms_per_ok:.2f} ms per request; machine CPU "
        f"{result.phase.cpu_percent:.0f} %; requests sent > 50 ms late by the client: "
        f"{result.late_starts}"
    )
    return "\n".join(lines)


def stream_p99(result: OpenLoopResult, name: str) -> float:
    return PhaseResult(name, 0, 1.0, [result.streams[name]]).percentile_ms(0.99)


def open_loop_twice(result: OpenLoopResult) -> int:
    """Orders handed out twice in the open loop: by the answers, and by the claim events."""
    numbers = result.streams["claim"].numbers
    with psycopg.connect(DATABASE_URL) as connection:
        twice = connection.execute(
            "SELECT count(*) FROM (SELECT order_id FROM workorders_workorderevent"
            " WHERE kind = 'claimed' GROUP BY order_id HAVING count(*) > 1) AS repeated"
        ).fetchone()
    return len(numbers) - len(set(numbers)) + (int(twice[0]) if twice else 0)


# --- where the time goes -----------------------------------------------------------------

WAIT_QUERY = """
SELECT wait_event_type = 'Lock', left(query, 70) FROM pg_stat_activity
WHERE datname = %s AND pid <> pg_backend_pid() AND state = 'active'
"""


def cpu_times() -> tuple[int, int] | None:
    """(total, idle) jiffies of the whole machine, or None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return None
    return sum(values), values[3] + values[4]


def server_cpu_seconds(group: int) -> float:
    """User + system CPU seconds of every live process in the server's process group."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after "(comm)": state, ppid, pgrp, …
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


SERVER_GROUP = [0]  # the server's process group, set once it is started


def sample_lock_waits(stop: threading.Event, waits: Counter[str], samples: list[int]) -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        while not stop.is_set():
            for waiting, query in connection.execute(WAIT_QUERY, (DATABASE,)).fetchall():
                if waiting:
                    waits[query] += 1
            samples[0] += 1
            stop.wait(0.05)


def monitored(phase: Callable[[], PhaseResult]) -> PhaseResult:
    """Run a phase while sampling machine CPU and the database sessions waiting for locks."""
    stop, waits, samples = threading.Event(), Counter[str](), [0]
    sampler = threading.Thread(target=sample_lock_waits, args=(stop, waits, samples), daemon=True)
    sampler.start()
    before, server_before = cpu_times(), server_cpu_seconds(SERVER_GROUP[0])
    result = phase()
    after, server_after = cpu_times(), server_cpu_seconds(SERVER_GROUP[0])
    result.server_cpu_s = server_after - server_before
    stop.set()
    sampler.join()
    if before and after and after[0] > before[0]:
        result.cpu_percent = 100 * (1 - (after[1] - before[1]) / (after[0] - before[0]))
    if samples[0]:
        result.lock_waiters = sum(waits.values()) / samples[0]
    if waits:
        result.top_wait = waits.most_common(1)[0][0]
    return result


# --- the platform under test --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        name = sql.Identifier(DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create_database() -> None:
    drop_database()
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def platform_env(var_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "FAWANG_MODE": "demo",
        "FAWANG_VAR_DIR": var_dir,
        "FAWANG_DATABASE_URL": DATABASE_URL,
        "FAWANG_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "fawang.settings",
    }
    return env


def fawang(env: dict[str, str], *args: str) -> str:
    step = subprocess.run(
        [str(BIN / "fawang"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
    )
    if step.returncode != 0:
        raise RuntimeError(f"fawang {args[0]} failed:\n{step.stdout[-2000:]}{step.stderr[-4000:]}")
    return step.stdout


def prepare(env: dict[str, str], clients: int) -> dict[str, Any]:
    start = time.perf_counter()
    fawang(env, "migrate", "--no-input")
    fawang(env, "load-regions", "--city", "beijing")
    fawang(env, "demo")
    print(f"migrate, regions, demo: {time.perf_counter() - start:.1f} s", flush=True)
    script = (
        SETUP_SCRIPT.replace("__CLIENTS__", str(clients))
        .replace("__SEATS__", str(SEAT_ACCOUNTS))
        .replace("__MARK__", SETUP_MARK)
    )
    output = fawang(env, "shell", "-c", script)
    line = next(x for x in output.splitlines() if x.startswith(SETUP_MARK))
    setup: dict[str, Any] = json.loads(line.removeprefix(SETUP_MARK))
    return setup


def wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the server exited during start-up:\n{tail}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started (its own process group) and its workers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # any worker left behind in the group


@contextlib.contextmanager
def platform(args: argparse.Namespace) -> Iterator[tuple[int, dict[str, Any], Path]]:
    """Database, demo data and a running server; all removed on the way out."""
    with contextlib.ExitStack() as cleanup:
        var_dir = tempfile.mkdtemp(prefix="fawang-bench-")
        cleanup.callback(shutil.rmtree, var_dir, ignore_errors=True)
        create_database()
        cleanup.callback(drop_database)
        env = platform_env(var_dir)
        setup = prepare(env, args.clients)
        port = free_port()
        log = Path(var_dir) / "server.log"
        with open(log, "wb") as output:
            server = subprocess.Popen(
                [
                    str(BIN / "fawang"),
                    "run",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                ],
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        cleanup.callback(stop, server)
        SERVER_GROUP[0] = server.pid  # start_new_session: the server leads its own group
        wait_until_up(port, server, log)
        yield port, setup, log


# --- verification and report --------------------------------------------------------------


@dataclass
class Verification:
    double_claims: int
    missing: int
    left_in_queue: int
    not_claimed: int  # benchmark orders not claimed in the centre, by the database
    events_claimed_twice: int


def verify(created: list[PhaseResult], claimed: list[PhaseResult], centre_id: int) -> Verification:
    made = {n for phase in created for n in phase.numbers}
    numbers = [n for phase in claimed for n in phase.numbers]
    with psycopg.connect(DATABASE_URL) as connection:
        left = connection.execute(
            "SELECT count(*) FROM workorders_workorder WHERE status = 'queued'"
            " AND institution_id = %s",
            (centre_id,),
        ).fetchone()
        unclaimed = connection.execute(
            "SELECT count(*) FROM workorders_workorder WHERE external_ref LIKE 'BENCH-%%'"
            " AND (status <> 'claimed' OR institution_id <> %s)",
            (centre_id,),
        ).fetchone()
        twice = connection.execute(
            "SELECT count(*) FROM (SELECT order_id FROM workorders_workorderevent"
            " WHERE kind = 'claimed' GROUP BY order_id HAVING count(*) > 1) AS repeated"
        ).fetchone()
    return Verification(
        double_claims=len(numbers) - len(set(numbers)),
        missing=len(made - set(numbers)),
        left_in_queue=int(left[0]) if left else -1,
        not_claimed=int(unclaimed[0]) if unclaimed else -1,
        events_claimed_twice=int(twice[0]) if twice else -1,
    )


def table(phases: list[PhaseResult]) -> str:
    header = f"{'phase':<20}{'clients':>8}{'ok':>7}{'errors':>7}{'seconds':>8}{'per s':>8}"
    header += f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'cpu %':>7}{'locked':>7}"
    header += f"{'srv cpu ms':>11}"
    lines = [header, "-" * len(header)]
    for phase in phases:
        errors = sum(n for status, n in phase.statuses.items() if not 200 <= status < 300)
        lines.append(
            f"{phase.name:<20}{phase.clients:>8}{phase.ok:>7}{errors:>7}{phase.elapsed:>8.1f}"
            f"{phase.per_second:>8.1f}{phase.percentile_ms(0.5):>8.1f}"
            f"{phase.percentile_ms(0.99):>8.1f}{phase.percentile_ms(1.0):>8.1f}"
            f"{phase.cpu_percent:>7.0f}{phase.lock_waiters:>7.1f}"
            f"{phase.server_cpu_ms_per_ok:>11.2f}"
        )
    lines.append("locked: database sessions waiting for a row lock, on average")
    lines.append("srv cpu ms: CPU of the server's processes per answered request")
    return "\n".join(lines)


def summary(
    ceiling: PhaseResult,
    create: PhaseResult,
    claim: PhaseResult,
    double: int,
    open_loop: OpenLoopResult,
) -> str:
    errors = sum(n for status, n in open_loop.phase.statuses.items() if not 200 <= status < 300)
    figures = {
        "cpu_ms_per_create": round(create.server_cpu_ms_per_ok, 2),
        "cpu_ms_per_healthz": round(ceiling.server_cpu_ms_per_ok, 2),
        "open_claim_p99_ms": round(stream_p99(open_loop, "claim"), 1),
        "open_create_p99_ms": round(stream_p99(open_loop, "create"), 1),
        "open_read_p99_ms": round(stream_p99(open_loop, "read"), 1),
        "open_errors": errors,
        "open_double_claims": open_loop_twice(open_loop),
        "create_per_s": round(create.per_second, 1),
        "ceiling_per_s": round(ceiling.per_second, 1),
        "create_ratio": round(create.per_second / ceiling.per_second, 3)
        if ceiling.per_second
        else 0.0,
        "create_p99_ms": round(create.percentile_ms(0.99), 1),
        "claim_p99_ms": round(claim.percentile_ms(0.99), 1),
        "claim_per_s": round(claim.per_second, 1),
        "double_claims": double,
    }
    return json.dumps(figures)


EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception): ")


def print_server_errors(log: Path) -> None:
    lines = log.read_text(errors="replace").splitlines()
    errors = sum("ERROR" in line for line in lines)
    exceptions = Counter(line[:200] for line in lines if EXCEPTION_LINE.match(line))
    if errors:
        print(f"server log: {errors} error lines; exceptions: {dict(exceptions.most_common(3))}")


def report(
    phases: list[PhaseResult], check: Verification, open_loop: OpenLoopResult, log: Path
) -> None:
    ceiling, create_one, create, claim_one, claim = phases
    print(table(phases))
    print(open_loop_table(open_loop))
    for phase in phases:
        waiting = f"; most lock waits at: {phase.top_wait}" if phase.top_wait else ""
        print(f"{phase.name}: statuses {dict(sorted(phase.statuses.items()))}{waiting}")
    created = len(create_one.numbers) + len(create.numbers)
    print(
        f"claim check: {len(claim_one.numbers) + len(claim.numbers)} handed out for {created} "
        "created; "
        f"handed out twice {check.double_claims}, never handed out {check.missing}, "
        f"still queued {check.left_in_queue}, benchmark orders not claimed in the centre "
        f"{check.not_claimed}, orders with two claim events "
        f"{check.events_claimed_twice}"
    )
    print_server_errors(log)
    print(
        summary(ceiling, create, claim, check.double_claims + check.events_claimed_twice, open_loop)
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per timed phase")
    parser.add_argument("--clients", type=int, default=32, help="concurrent creating clients")
    parser.add_argument("--claimers", type=int, default=200, help="concurrent claiming clients")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="request threads per worker (`fawang run --threads`; each holds a DB connection)",
    )
    parser.add_argument("--seats", type=int, default=200, help="open loop: seats claiming")
    parser.add_argument(
        "--claim-every", type=float, default=10.0, help="open loop: mean seconds between claims"
    )
    parser.add_argument("--arrivals", type=float, default=50.0, help="open loop: calls per s")
    parser.add_argument("--reads", type=float, default=100.0, help="open loop: status reads per s")
    parser.add_argument("--pool", type=int, default=96, help="open loop: client threads")
    parser.add_argument(
        "--open-duration",
        type=float,
        default=60.0,
        help="open loop: seconds (at 15 s a p99 of claims rests on its three slowest)",
    )
    return parser.parse_args(argv)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the clean-up


def measure_all(port: int, setup: dict[str, Any], args: argparse.Namespace) -> list[PhaseResult]:
    """The ceiling, then creation and claiming, each once alone (the service time without
    contention) and once under the concurrency asked for."""
    creators, claimers = setup["create_tokens"], setup["claim_tokens"]
    regions, clients, duration = setup["regions"], args.clients, args.duration
    ceiling_phase(port, clients, min(2.0, duration))  # warm-up, not reported
    return [
        monitored(lambda: ceiling_phase(port, clients, duration, "ceiling /healthz")),
        monitored(lambda: create_phase(port, creators, regions, 1, min(5.0, duration), "create")),
        monitored(lambda: create_phase(port, creators, regions, clients, duration, "create")),
        monitored(lambda: claim_phase(port, claimers, 1, "claim-next", limit=SINGLE_CLAIMS)),
        monitored(lambda: claim_phase(port, claimers, args.claimers, "claim-next")),
    ]


def _kept(into: list[OpenLoopResult], result: OpenLoopResult) -> PhaseResult:
    into.append(result)
    return result.phase


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    with platform(args) as (port, setup, log):
        print(f"demo work orders: {setup['demo']}", flush=True)
        phases = measure_all(port, setup, args)
        check = verify(phases[1:3], phases[3:5], setup["centre_id"])
        open_loop: list[OpenLoopResult] = []
        monitored(lambda: _kept(open_loop, open_loop_phase(port, setup, args, args.open_duration)))
        report(phases, check, open_loop[0], log)


if __name__ == "__main__":
    main()
