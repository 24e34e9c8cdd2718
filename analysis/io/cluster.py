"""Talking to a Dask scheduler with a bound on every wait.

distributed's ``Client(address, timeout=10)`` bounds the TCP connect, but not the handshake
after it: a listener that accepts and never answers held ``code`` forever.  Here the address
is checked first (a malformed one is the input's fault: exit 2), the handshake is tried under
``asyncio.wait_for``, and every later call has a timeout; a result that takes long is reported
after ``REPORT`` seconds, and a cluster with no worker for ``NO_WORKERS`` seconds is given up on.
"""
from __future__ import annotations

import sys
import time

from analysis.io.errors import SchedulerError

TIMEOUT = 10      # seconds for the connect and handshake, and each call to the scheduler
REPORT = 10       # seconds without a result before saying what is awaited
NO_WORKERS = 120  # seconds with no worker at all before giving up


def check_address(address: str) -> str:
    """A scheduler address as distributed reads it; SchedulerError (the input's fault) if malformed."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import backends
    fix = "give the scheduler's address as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
    try:
        scheme, loc = parse_address(str(address), strict=False)
        if scheme not in backends:
            raise ValueError(f"'{scheme}://' is not a Dask protocol ({', '.join(sorted(backends))})")
        if scheme in ("tcp", "tls"):
            host, port = parse_host_port(loc)
            if not 0 < int(port) < 65536:
                raise ValueError(f"port {port} is out of range")
    except (ValueError, TypeError) as e:
        raise SchedulerError(f"--scheduler '{address}' is not a scheduler address: {e}", fix=fix, input_fault=True) from None
    return str(address)


def _handshake(address: str, timeout: float) -> None:
    import asyncio

    from distributed.comm import connect

    async def probe():
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
        await comm.close()
    asyncio.run(probe())


def connect(address: str, timeout: float = TIMEOUT):
    """A distributed Client, or SchedulerError within about ``timeout`` seconds."""
    from distributed import Client
    check_address(address)
    try:
        _handshake(address, timeout)
    except (TimeoutError, OSError) as e:
        what = (f"no Dask scheduler answered within {timeout:.0f} s (nothing reachable listens there, or what listens "
                "is not a Dask scheduler, or it is stuck)" if isinstance(e, TimeoutError) else str(e))
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {what}") from None
    except Exception as e:  # noqa: BLE001 - bytes that are not Dask's protocol (distributed may try to allocate exabytes)
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: what answered there does not speak "
                             f"Dask's protocol ({type(e).__name__})") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as e:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def workers(client) -> int:
    """Threads the scheduler knows of (its last report to this client: no network call)."""
    info = client.scheduler_info() or {}
    return sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())


def result(future, client, address: str):
    """The future's result; a note on stderr after REPORT s, SchedulerError if no worker appears."""
    from distributed import TimeoutError as DaskTimeout
    start = last = time.monotonic()
    lonely = None
    while True:
        try:
            return future.result(timeout=REPORT)
        except (TimeoutError, DaskTimeout):
            pass
        now = time.monotonic()
        n = workers(client)
        lonely = (lonely or now) if n == 0 else None
        if lonely is not None and now - lonely >= NO_WORKERS:
            raise SchedulerError(f"the Dask scheduler at {address} has had no worker for {now - lonely:.0f} s",
                                 fix=f"start workers with: dask worker {address} --nthreads 1")
        if now - last >= REPORT:
            print(f"waiting for the Dask cluster at {address}: no result for {now - start:.0f} s, "
                  f"{n} worker thread(s) connected" + ("" if n else f" (start some: dask worker {address})"),
                  file=sys.stderr)
            last = now
