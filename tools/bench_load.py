#!/usr/bin/env python3
"""Load benchmark of the HTTP service: ``symptomatic serve --workers 2`` on loopback.

Drives ``POST /v1/diagnosis`` for a fixed time with Debian's ``wrk`` (a Lua script posts a
realistic case: findings plus answers, the next question included), or, when ``wrk`` is
missing, with an asyncio httpx client in this process. Prints one JSON object: requests/s,
p50/p99 latency, errors, and the server's resident memory (all its processes) at start and
end, next to the targets (>= 1,500 req/s, p99 <= 50 ms).

    .venv/bin/python tools/bench_load.py [--seconds 20] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


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


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % json.dumps(CASE))
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                script,
                url + "/v1/diagnosis",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
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


async def _httpx_load(url: str, seconds: int, connections: int) -> dict[str, Any]:
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

        start = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=20, help="how long to drive load (max 120)")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto")
    args = ap.parse_args()
    seconds = max(1, min(args.seconds, 120))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("symptomatic")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symptomatic.cli"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)]
    server = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
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
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        if use_wrk:
            stats = run_wrk(url, seconds, args.connections, args.threads)
        else:
            stats = asyncio.run(_httpx_load(url, seconds, args.connections))
        rss_end = tree_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    report = {
        "endpoint": "POST /v1/diagnosis",
        "server": f"symptomatic serve --workers {args.workers} (127.0.0.1)",
        "seconds": seconds,
        "cpus": os.cpu_count(),
        **stats,
        "server_rss_mb_start": rss_start,
        "server_rss_mb_end": rss_end,
        "targets": {"requests_per_s": TARGET_RPS, "latency_p99_ms": TARGET_P99_MS},
        "meets_targets": bool(
            stats["requests_per_s"] >= TARGET_RPS
            and (stats["latency_p99_ms"] or 1e9) <= TARGET_P99_MS
            and stats["errors"] == 0
        ),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
