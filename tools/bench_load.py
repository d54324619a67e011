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
"""

from __future__ import annotations

import argparse
import asyncio
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
    url: str, seconds: int, connections: int, threads: int, sampler: Sampler | None = None
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % json.dumps(CASE))
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
    }


async def _httpx_load(
    url: str, seconds: int, connections: int, sampler: Sampler | None = None
) -> dict[str, Any]:
    import httpx

    body = json.dumps(CASE).encode()
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
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to this long for the machine to be idle (under 10%% busy)",
    )
    args = ap.parse_args()
    soak = max(0, min(args.soak, MAX_SOAK_SECONDS))
    seconds = soak if soak else max(1, min(args.seconds, MAX_SECONDS))
    waited = wait_quiet(args.quiet_wait) if args.quiet_wait > 0 else 0.0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("symptomatic")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symptomatic.cli"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    use_wrk = bool(args.client == "wrk" or (args.client == "auto" and shutil.which("wrk")))
    try:
        wait_ready(url)
        # warm up every worker (imports, question tables) before measuring
        import urllib.request

        for _ in range(50):
            req = urllib.request.Request(
                url + "/v1/diagnosis",
                data=json.dumps(CASE).encode(),
                headers={"content-type": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=5) as r:
                r.read()
        rss_start = tree_rss_mb(server.pid)
        sampler = Sampler(server.pid, args.sample_every) if soak else None
        cpu0, client0, busy0 = tree_cpu_s(server.pid), _client_cpu_s(use_wrk), machine_busy_s()
        t0 = time.monotonic()
        if use_wrk:
            stats = run_wrk(url, seconds, args.connections, args.threads, sampler)
        else:
            stats = asyncio.run(_httpx_load(url, seconds, args.connections, sampler))
        elapsed = time.monotonic() - t0
        server_cpu = tree_cpu_s(server.pid) - cpu0
        client_cpu = _client_cpu_s(use_wrk) - client0
        busy = machine_busy_s() - busy0
        if sampler is not None:
            sampler.sample()
        rss_end = tree_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    cpus = os.cpu_count() or 1
    report: dict[str, Any] = {
        "endpoint": "POST /v1/diagnosis",
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
