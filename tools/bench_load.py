#!/usr/bin/env python3
"""Load benchmark of the HTTP service: ``symptomatic serve --workers 2`` on loopback.

Drives ``POST /v1/diagnosis`` for a fixed time with Debian's ``wrk`` (a Lua script posts a
realistic case: findings plus answers, the next question included), or, when ``wrk`` is
missing, with an asyncio httpx client in this process. Prints one JSON object: requests/s,
p50/p99 latency, errors, the server's resident memory (all its processes) at start and end,
next to the targets (>= 1,500 req/s, p99 <= 50 ms), and the CPU the server spent per
request.

The load generator shares the machine with the server, and so does anything else running:
``other_cpu_share`` is the share of all cores used by processes that are neither the server
nor the client during the run (from ``/proc/stat``). Figures taken with it above a few per
cent are not comparable; ``--quiet-wait`` waits for a quiet machine before starting.
``server_cpu_ms_per_request`` (CPU time of the server processes / requests) hardly depends
on that noise and is the figure to compare between versions.

``--soak SECONDS`` runs the same load for that long (at most an hour) and samples the
server's total resident memory every ``--sample-every`` seconds (default 10): the JSON then
also holds the series and its first, last and largest value.

    .venv/bin/python tools/bench_load.py [--seconds 20] [--connections 32] [--workers 2]
    .venv/bin/python tools/bench_load.py --soak 300 [--connections 32]

Other modes (each prints one JSON object; the figures in the robustness report come from
them):

``--body structured|text|interview``
    the request driven: two structured findings, a short sentence of text, or (default, as
    in BENCHMARKS.md) findings plus interview answers.
``--kill-worker-at SECONDS``
    during the load run, ``kill -9`` one worker of the server at that time; reports wrk's
    failed requests, the failures seen by a probe that opens a new connection every 20 ms
    (and when the last one happened), and when the server had a new worker up and ready.
``--slow-clients N``
    no load: open N connections to the server, a third sending nothing, a third trickling
    headers, a third trickling a body (a byte a second each), and report how many the
    server dropped and when (``--client-timeout`` sets the server's deadline, default 15 s),
    and the latency of a normal request while they are open.
``--text-cost``
    no load: the cost of the worst text for the parser (5,000 characters of "no fever, no
    fever, ...") against a normal sentence through ``POST /v1/parse``, as a multiple.
``--schemathesis``
    no load: ``schemathesis run --checks all`` (every phase, positive and negative data)
    against the server; reports cases run and failures.

    .venv/bin/python tools/bench_load.py --seconds 30 --connections 128 --body text
    .venv/bin/python tools/bench_load.py --seconds 30 --connections 32 --kill-worker-at 10
    .venv/bin/python tools/bench_load.py --slow-clients 1000
    .venv/bin/python tools/bench_load.py --text-cost
    .venv/bin/python tools/bench_load.py --schemathesis --max-examples 100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CASE = {
    "age": 34,
    "sex": "female",
    "lang": "en",
    "findings": [{"evidence": "fever"}, {"evidence": "cough"}],
    "answers": [
        {"evidence": "sore-throat", "status": "absent"},
        {"evidence": "runny-nose", "status": "present"},
    ],
}
BODIES: dict[str, dict[str, Any]] = {
    "interview": CASE,
    "structured": {
        "age": 30,
        "sex": "female",
        "findings": [{"evidence": "fever"}, {"evidence": "cough"}],
    },
    "text": {
        "age": 30,
        "sex": "female",
        "text": "I have had a fever and a dry cough since yesterday",
    },
}
NORMAL_TEXT = "I have had a fever and a dry cough since yesterday, and my throat hurts"
WORST_TEXT = ("no fever, " * 500)[:5000]
TARGET_RPS = 1500.0
TARGET_P99_MS = 50.0
MAX_SECONDS = 120
MAX_SOAK_SECONDS = 3600

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"max_us": %%d, "socket_errors": %%d, "non_2xx": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (Linux /proc)."""
    total_kb = 0
    for p in tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants."""
    total = 0
    for p in tree_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def machine_busy_s() -> float:
    """CPU seconds all cores spent busy since boot (``/proc/stat``, idle and iowait out)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / _TICK


def wait_quiet(limit_s: float, share: float = 0.1, window: float = 5.0) -> float:
    """Wait (at most ``limit_s``) until the machine stays under ``share`` busy for
    ``window`` seconds; returns the seconds waited."""
    start = time.monotonic()
    cpus = os.cpu_count() or 1
    while time.monotonic() - start < limit_s:
        b0 = machine_busy_s()
        time.sleep(window)
        if (machine_busy_s() - b0) / (window * cpus) < share:
            break
    return round(time.monotonic() - start, 1)


def wait_ready(url: str, timeout: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become ready")


class Sampler:
    """Samples the server's total RSS every ``every`` seconds while load runs."""

    def __init__(self, pid: int, every: float) -> None:
        self.pid, self.every = pid, every
        self.start = time.monotonic()
        self.series: list[dict[str, float]] = []
        self.sample()

    def sample(self) -> None:
        t = round(time.monotonic() - self.start, 1)
        self.series.append({"t_s": t, "rss_mb": tree_rss_mb(self.pid)})

    def wait(self, proc: subprocess.Popen[str], timeout: float) -> None:
        """Sample until ``proc`` ends (killed after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        next_at = self.start + self.every
        while proc.poll() is None:
            now = time.monotonic()
            if now > deadline:
                proc.kill()
                break
            if now >= next_at:
                self.sample()
                next_at += self.every
            time.sleep(min(0.2, max(0.0, next_at - time.monotonic())))


def run_wrk(
    url: str,
    seconds: int,
    connections: int,
    threads: int,
    sampler: Sampler | None = None,
    body: dict[str, Any] = CASE,
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % json.dumps(body))
        script = f.name
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        script,
        url + "/v1/diagnosis",
    ]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if sampler is not None:
            sampler.wait(proc, timeout=seconds + 60)
        out, err = proc.communicate(timeout=seconds + 60)
        if proc.returncode != 0:
            raise RuntimeError(f"wrk failed ({proc.returncode}): {err.strip()}")
    finally:
        os.unlink(script)
    line = next(ln for ln in out.splitlines() if ln.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON ") :])
    secs = raw["duration_us"] / 1e6
    return {
        "client": f"wrk -t{threads} -c{connections}",
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / secs, 1),
        "latency_p50_ms": round(raw["p50_us"] / 1000, 2),
        "latency_p99_ms": round(raw["p99_us"] / 1000, 2),
        "latency_max_ms": round(raw["max_us"] / 1000, 2),
        "errors": raw["socket_errors"] + raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
        "non_2xx": raw["non_2xx"],
    }


async def _httpx_load(
    url: str,
    seconds: int,
    connections: int,
    sampler: Sampler | None = None,
    case: dict[str, Any] = CASE,
) -> dict[str, Any]:
    import httpx

    body = json.dumps(case).encode()
    headers = {"content-type": "application/json"}
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=5) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/diagnosis", content=body, headers=headers)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

        async def sample() -> None:
            assert sampler is not None
            while time.monotonic() < stop:
                await asyncio.sleep(sampler.every)
                if time.monotonic() < stop:
                    sampler.sample()

        start = time.monotonic()
        extra = [sample()] if sampler is not None else []
        await asyncio.gather(*(worker() for _ in range(connections)), *extra)
        elapsed = time.monotonic() - start
    latencies.sort()
    n = len(latencies)
    return {
        "client": f"httpx asyncio, {connections} connections (wrk not found)",
        "requests": n,
        "requests_per_s": round(n / elapsed, 1),
        "latency_p50_ms": round(1000 * latencies[n // 2], 2) if n else None,
        "latency_p99_ms": round(1000 * latencies[min(n - 1, int(n * 0.99))], 2) if n else None,
        "latency_max_ms": round(1000 * latencies[-1], 2) if n else None,
        "errors": errors,
    }


def _client_cpu_s(use_wrk: bool) -> float:
    """CPU seconds of the load generator so far: waited-for children (wrk) or this process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if use_wrk else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_server(
    workers: int, env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``symptomatic serve`` on a free loopback port (stderr to ``log`` if given)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("symptomatic")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symptomatic.cli"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    err = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=err,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    wait_ready(url, timeout=60)
    return server, url


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def post(url: str, path: str, body: dict[str, Any], timeout: float = 10) -> tuple[int, float]:
    """Status and seconds of one POST on a new connection (status 0: no answer)."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = int(r.status)
    except urllib.error.HTTPError as e:
        status = int(e.code)
    except OSError:
        status = 0
    return status, time.perf_counter() - t0


def worker_pids(master: int) -> list[int]:
    """The uvicorn worker processes under ``master`` (spawned children, not the tracker)."""
    out = []
    for pid in tree_pids(master):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"multiprocessing.spawn" in cmd and b"resource_tracker" not in cmd:
            out.append(pid)
    return sorted(out)


def _warm(url: str, body: dict[str, Any]) -> None:
    for _ in range(50):
        post(url, "/v1/diagnosis", body)


def kill_during_load(args: argparse.Namespace, body: dict[str, Any]) -> dict[str, Any]:
    """Load with wrk; ``kill -9`` one worker at ``args.kill_worker_at`` seconds."""
    import threading

    log = Path(tempfile.mkdtemp()) / "server.log"
    server, url = start_server(args.workers, log=log)
    probe: list[tuple[float, int]] = []
    events: dict[str, Any] = {}
    stop = threading.Event()
    try:
        _warm(url, body)
        before = worker_pids(server.pid)

        def killer() -> None:
            time.sleep(args.kill_worker_at)
            victim = before[0]
            ready0 = log.read_text().count("Application startup complete")
            t_kill = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            events.update(killed=victim, t_kill=t_kill)
            while not stop.is_set() and time.monotonic() - t_kill < 60:
                now = worker_pids(server.pid)
                if "t_respawn" not in events and len(now) == len(before) and victim not in now:
                    events["t_respawn"] = time.monotonic()
                if log.read_text().count("Application startup complete") > ready0:
                    events["t_ready"] = time.monotonic()
                    break
                time.sleep(0.02)

        def prober() -> None:
            while not stop.is_set():
                status, _ = post(url, "/v1/diagnosis", body, timeout=5)
                probe.append((time.monotonic(), status))
                time.sleep(0.02)

        threads = [threading.Thread(target=killer), threading.Thread(target=prober)]
        for t in threads:
            t.start()
        stats = run_wrk(url, args.seconds, args.connections, args.threads, body=body)
        stop.set()
        for t in threads:
            t.join(70)
        after = worker_pids(server.pid)
    finally:
        stop.set()
        stop_server(server)
    t_kill = events.get("t_kill", 0.0)
    failed = [t for t, status in probe if status != 200]
    return {
        "mode": "kill one worker (SIGKILL) during load",
        "server": f"symptomatic serve --workers {args.workers}",
        "killed_at_s": args.kill_worker_at,
        **stats,
        "probe_requests": len(probe),
        "probe_failed": len(failed),
        "probe_last_failure_after_kill_s": round(max(failed) - t_kill, 2) if failed else None,
        "worker_respawned_after_s": round(events["t_respawn"] - t_kill, 2)
        if "t_respawn" in events
        else None,
        "new_worker_ready_after_s": round(events["t_ready"] - t_kill, 2)
        if "t_ready" in events
        else None,
        "workers_before": len(before),
        "workers_after": len(after),
    }


def slow_clients(args: argparse.Namespace) -> dict[str, Any]:
    """Open ``args.slow_clients`` slow or idle connections; when does the server drop them?"""
    import selectors

    env = {}
    if args.client_timeout:
        env["SYMPTOMATIC_CLIENT_TIMEOUT"] = str(args.client_timeout)
    server, url = start_server(args.workers, env=env)
    host, port = url.rsplit("/", 1)[1].split(":")
    kinds = {
        "idle": (b"", b""),
        "trickled headers": (b"POST /v1/parse HTTP/1.1\r\n", b"x"),
        "trickled body": (
            b"POST /v1/parse HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b"content-length: 5000\r\n\r\n{",
            b" ",
        ),
    }
    names = list(kinds)
    selector = selectors.DefaultSelector()
    opened: dict[socket.socket, str] = {}
    limit = 40.0
    try:
        for i in range(args.slow_clients):
            kind = names[i % len(names)]
            s = socket.create_connection((host, int(port)), timeout=10)
            s.setblocking(False)
            if kinds[kind][0]:
                s.sendall(kinds[kind][0])
            opened[s] = kind
            selector.register(s, selectors.EVENT_READ)
        start = time.monotonic()
        dropped: dict[str, list[float]] = {k: [] for k in kinds}
        latencies = []
        next_trickle = start
        while opened and time.monotonic() - start < limit:
            now = time.monotonic()
            if now >= next_trickle:
                next_trickle = now + 1.0
                for s, kind in opened.items():
                    if kinds[kind][1]:
                        with contextlib.suppress(OSError):
                            s.send(kinds[kind][1])
                latencies.append(post(url, "/v1/diagnosis", BODIES["structured"])[1])
            for key, _ in selector.select(timeout=0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if data:
                    continue
                dropped[opened.pop(sock)].append(time.monotonic() - start)
                selector.unregister(sock)
                sock.close()
        still_open = len(opened)
        for sock in opened:
            sock.close()
    finally:
        stop_server(server)
    every = [t for times in dropped.values() for t in times]
    every.sort()
    latencies.sort()
    return {
        "mode": "slow and idle clients",
        "server": f"symptomatic serve --workers {args.workers}",
        "client_timeout_s": args.client_timeout or 15.0,
        "connections": args.slow_clients,
        "dropped": len(every),
        "still_open_after_s": {"seconds": limit, "count": still_open},
        "dropped_by_kind": {k: len(v) for k, v in dropped.items()},
        "time_to_drop_s": {
            "first": round(every[0], 2) if every else None,
            "median": round(every[len(every) // 2], 2) if every else None,
            "last": round(every[-1], 2) if every else None,
        },
        "normal_request_while_open_ms": {
            "median": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
            "max": round(1000 * latencies[-1], 1) if latencies else None,
        },
    }


def text_cost(args: argparse.Namespace, repeat: int = 30) -> dict[str, Any]:
    """Median latency of /v1/parse for the worst text against a normal sentence."""
    server, url = start_server(1)
    try:
        out: dict[str, Any] = {}
        for name, text in (("normal", NORMAL_TEXT), ("worst", WORST_TEXT)):
            post(url, "/v1/parse", {"text": text})
            runs = [post(url, "/v1/parse", {"text": text}) for _ in range(repeat)]
            times = sorted(t for _, t in runs)
            out[name] = {
                "chars": len(text),
                "statuses": sorted({status for status, _ in runs}),
                "median_ms": round(1000 * times[len(times) // 2], 2),
                "max_ms": round(1000 * times[-1], 2),
            }
    finally:
        stop_server(server)
    return {
        "mode": "worst-case text through POST /v1/parse (one worker, sequential)",
        "worst_text": '"no fever, " repeated to 5,000 characters',
        **out,
        "multiple": round(out["worst"]["median_ms"] / out["normal"]["median_ms"], 1),
    }


SCHEMATHESIS_TOML = """
[checks.negative_data_rejection]
# a body over the size limit is refused with 413 before it is read: a rejection too
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]
"""


def run_schemathesis(args: argparse.Namespace) -> dict[str, Any]:
    """``schemathesis run --checks all`` against a live server."""
    import re

    exe = Path(sys.executable).with_name("schemathesis")
    server, url = start_server(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(SCHEMATHESIS_TOML)
        cmd = [
            str(exe),
            "--config-file",
            str(config),
            "--no-color",
            "run",
            url + "/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(args.max_examples),
            "--workers",
            "2",
            "--continue-on-failure",
        ]
        try:
            t0 = time.monotonic()
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=3600)
            elapsed = time.monotonic() - t0
        finally:
            stop_server(server)
    out = done.stdout
    cases = re.search(r"(\d+) generated", out)
    found = re.search(r"(\d+) found (\d+) unique failures?", out)
    return {
        "mode": "schemathesis run --checks all (examples, coverage, fuzzing)",
        "command": " ".join([*cmd[:2], "schemathesis.toml", *cmd[3:]]),
        "exit_code": done.returncode,
        "cases": int(cases.group(1)) if cases else None,
        "failures": int(found.group(2)) if found else 0,
        "seconds": round(elapsed, 1),
        "summary": out[out.rfind("SUMMARY") :].strip()[-1500:] if "SUMMARY" in out else out[-1500:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--seconds", type=int, default=20, help=f"how long to drive load (max {MAX_SECONDS})"
    )
    ap.add_argument(
        "--soak",
        type=int,
        default=0,
        metavar="SECONDS",
        help=f"soak mode: drive load this long (max {MAX_SOAK_SECONDS}) and sample the "
        "server's memory (default off)",
    )
    ap.add_argument("--sample-every", type=float, default=10.0, help="soak sampling period, s")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto")
    ap.add_argument("--body", choices=sorted(BODIES), default="interview", help="request sent")
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to this long for the machine to be idle (under 10%% busy)",
    )
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--kill-worker-at", type=float, metavar="SECONDS")
    mode.add_argument("--slow-clients", type=int, metavar="N")
    mode.add_argument("--text-cost", action="store_true")
    mode.add_argument("--schemathesis", action="store_true")
    ap.add_argument("--client-timeout", type=float, help="server deadline for --slow-clients")
    ap.add_argument("--max-examples", type=int, default=100, help="for --schemathesis")
    args = ap.parse_args()
    body = BODIES[args.body]
    if args.kill_worker_at is not None:
        if not shutil.which("wrk"):
            raise SystemExit("--kill-worker-at needs wrk (apt-get install -y wrk)")
        print(json.dumps(kill_during_load(args, body), indent=1))
        return 0
    if args.slow_clients:
        print(json.dumps(slow_clients(args), indent=1))
        return 0
    if args.text_cost:
        print(json.dumps(text_cost(args), indent=1))
        return 0
    if args.schemathesis:
        print(json.dumps(run_schemathesis(args), indent=1))
        return 0
    soak = max(0, min(args.soak, MAX_SOAK_SECONDS))
    seconds = soak if soak else max(1, min(args.seconds, MAX_SECONDS))
    waited = wait_quiet(args.quiet_wait) if args.quiet_wait > 0 else 0.0
    use_wrk = bool(args.client == "wrk" or (args.client == "auto" and shutil.which("wrk")))
    server, url = start_server(args.workers)
    try:
        _warm(url, body)  # every worker: imports, question tables
        rss_start = tree_rss_mb(server.pid)
        sampler = Sampler(server.pid, args.sample_every) if soak else None
        cpu0, client0, busy0 = tree_cpu_s(server.pid), _client_cpu_s(use_wrk), machine_busy_s()
        t0 = time.monotonic()
        if use_wrk:
            stats = run_wrk(url, seconds, args.connections, args.threads, sampler, body=body)
        else:
            stats = asyncio.run(_httpx_load(url, seconds, args.connections, sampler, body))
        elapsed = time.monotonic() - t0
        server_cpu = tree_cpu_s(server.pid) - cpu0
        client_cpu = _client_cpu_s(use_wrk) - client0
        busy = machine_busy_s() - busy0
        if sampler is not None:
            sampler.sample()
        rss_end = tree_rss_mb(server.pid)
    finally:
        stop_server(server)
    cpus = os.cpu_count() or 1
    report: dict[str, Any] = {
        "endpoint": "POST /v1/diagnosis",
        "body": args.body,
        "server": f"symptomatic serve --workers {args.workers} (127.0.0.1)",
        "mode": "soak" if soak else "benchmark",
        "seconds": seconds,
        "cpus": cpus,
        **stats,
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(stats["requests"], 1), 3),
        "server_cpu_share": round(server_cpu / (elapsed * cpus), 3),
        "client_cpu_share": round(client_cpu / (elapsed * cpus), 3),
        "other_cpu_share": round(max(0.0, busy - server_cpu - client_cpu) / (elapsed * cpus), 3),
        "quiet_wait_s": waited,
        "server_rss_mb_start": rss_start,
        "server_rss_mb_end": rss_end,
    }
    if sampler is not None:
        rss = [s["rss_mb"] for s in sampler.series]
        report["rss_mb"] = {
            "every_s": args.sample_every,
            "first": rss[0],
            "last": rss[-1],
            "max": max(rss),
            "min": min(rss),
            "growth": round(rss[-1] - rss[0], 1),
            "series": sampler.series,
        }
    report["targets"] = {"requests_per_s": TARGET_RPS, "latency_p99_ms": TARGET_P99_MS}
    report["meets_targets"] = bool(
        stats["requests_per_s"] >= TARGET_RPS
        and (stats["latency_p99_ms"] or 1e9) <= TARGET_P99_MS
        and stats["errors"] == 0
    )
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
