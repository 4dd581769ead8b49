"""Read many returned files on every core: same results, same order as reading them one by one.

Reading is CPU-bound (zip inflate, XML parse, checks) and files are independent, so a process pool
with chunks scales on the chair's cores. Small inboxes (a real bloc has <= 20 units) are read in
this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from toolkit.bloc.model import Bloc
from toolkit.returns.reader import ReadResult, read_return
from toolkit.seal import Custody

MIN_FILES_PER_WORKER = 32
BUSY_SAMPLE_SECONDS = 0.05  # 5 clock ticks per core: a busy other core reads as 0.8-1.2
CHUNKS_PER_WORKER = 16

_worker_bloc: Bloc | None = None
_worker_custody: Custody | None = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def idle_cores() -> int:
    """The cores not busy with other work right now, at least 1: with the other core busy, two
    workers run slower than one process (issue 20), so they must not start. Measured over
    BUSY_SAMPLE_SECONDS from /proc/stat on this process's cores (Linux; it sleeps meanwhile, so its
    own core counts as idle), else from the 1-minute load average (macOS, which counts this process),
    else every core (Windows). The load average alone lags: a run right after another one saw the
    other's load and read with one worker."""
    cores = available_cores()
    before = _cpu_ticks()
    if before is not None:
        time.sleep(BUSY_SAMPLE_SECONDS)
        after = _cpu_ticks()
        busy = busy_cores(before, after) if after is not None else 0.0
        return max(1, min(cores, cores - math.floor(busy + 0.5)))
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores
    return max(1, min(cores, cores + 1 - math.floor(load + 0.5)))


def busy_cores(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> float:
    """How many cores were busy between two `_cpu_ticks` samples (each core: its busy share)."""
    busy = 0.0
    for cpu, (total, idle) in after.items():
        if cpu in before:
            elapsed = total - before[cpu][0]
            busy += (elapsed - (idle - before[cpu][1])) / elapsed if elapsed > 0 else 0.0
    return busy


def _cpu_ticks() -> dict[str, tuple[int, int]] | None:
    """cpuN -> (all ticks, idle and iowait ticks) of this process's cores, from /proc/stat; None
    where there is none."""
    try:
        mine = {f"cpu{n}" for n in os.sched_getaffinity(0)}
        lines = Path("/proc/stat").read_text().splitlines()
    except (AttributeError, OSError):
        return None
    ticks = {}
    for line in lines:
        name, *fields = line.split()
        if name in mine and len(fields) >= 5:
            numbers = [int(x) for x in fields[:8]]
            ticks[name] = (sum(numbers), numbers[3] + numbers[4])
    return ticks or None


def worker_count(items: int, workers: int | None = None, per_worker: int = MIN_FILES_PER_WORKER) -> int:
    """`workers` when given (at least 1); else one per idle core, each with at least `per_worker` of
    the `items` (too few for two workers: no look at the cores)."""
    if workers is not None:
        return max(1, min(workers, items or 1))
    if items < 2 * per_worker:
        return 1
    return max(1, min(idle_cores(), items // per_worker))


def read_returns(paths: list[Path], bloc: Bloc, workers: int | None = None,
                 custody: Custody | None = None) -> list[ReadResult]:
    """`read_return` of every path, in the order given."""
    paths = list(paths)
    count = worker_count(len(paths), workers)
    numbers: dict[tuple[type, float], float] = {}
    if count <= 1:
        return [share_numbers(read_return(p, bloc, custody), numbers) for p in paths]
    chunk = max(1, math.ceil(len(paths) / (count * CHUNKS_PER_WORKER)))
    with ProcessPoolExecutor(count, initializer=_start_worker, initargs=(bloc, custody)) as pool:
        return [share_numbers(r, numbers) for r in pool.map(_read, paths, chunksize=chunk)]


def share_numbers(result: ReadResult, numbers: dict[tuple[type, float], float]) -> ReadResult:
    """The submission's input values made one object per distinct number across every return
    (`numbers`: (type, value) -> the object kept, so 1 and 1.0 stay apart); a country's returns
    repeat a few hundred values and each float is 24 bytes (issue 20). Zeros keep their own
    object: 0.0 and -0.0 compare equal."""
    if result.submission is not None:
        values = result.submission.values
        for code, value in values.items():
            if value:
                values[code] = numbers.setdefault((type(value), value), value)
    return result


def _start_worker(bloc: Bloc, custody: Custody | None = None) -> None:
    global _worker_bloc, _worker_custody
    _worker_bloc, _worker_custody = bloc, custody  # sent once per worker, not once per file
    gc.freeze()  # the heap inherited from the parent is never garbage: keep the collector off it


def _read(path: Path) -> ReadResult:
    return read_return(path, _worker_bloc, _worker_custody)
