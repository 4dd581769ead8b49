"""thidua's speed and scale benchmark (issue 8). Not part of pytest: run `python bench/run.py -h`.

Every target is a ratio against a baseline measured in the same run on the same files, or an
absolute limit, and is printed with PASS/FAIL:

1. forms: thidua writes N forms (`toolkit.forms.write_form`) vs plain XlsxWriter writing the same
   sheets (the calls thidua makes, recorded and replayed; see bench/baseline.py). Limit 1.5x.
   The two are interleaved in blocks so that load on the machine hits both alike.
2. consolidate: `toolkit.folder.consolidate` on N returns (read, check, recompute, rank, write the
   summary) in a fresh subprocess, three runs, the fastest counts; limit 2 s. Per file: the part of
   a run done file by file (open, read and check each return, on the machine's cores as consolidate
   does it) divided by N, against opening the zip and inflating the form sheet of the same files one
   by one, measured right after each run; the median of the three paired ratios counts; limit 4x.
   (Read as the whole run divided by N, the 4x would ask for under 1 s in all and make the 2 s target
   moot: the ranking and the summary are made once per bloc, not once per file.) The CPU time per
   file of reading (this process and its reading processes) is printed too.
3. memory: peak RSS of that subprocess plus its reading workers (summed: an upper bound); limit 300 MB.
4. growth: consolidate at each --sizes; slope (s per 1,000 returns) and linearity (R^2 of a straight
   line, and per-file time at the largest size vs the smallest); limit R^2 >= 0.98 and <= 1.3x.
5. issue 20 (bench/speed.py): start-up ratios against a bare interpreter, per extra return against
   python-calamine (`pip install -e .[bench]`), `thidua consolidate` at each --sizes through the
   command with memory summed over all its processes (20,000: <= 10 s, <= 300 MB), a province
   folder of 91 blocs x 11 returns.

The data set (bench/dataset.py) is made with thidua itself and kept in --dir for reruns.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.baseline import open_and_inflate, record_form, replay  # noqa: E402
from bench import speed  # noqa: E402
from bench.dataset import bench_bloc, check_fast_fill_matches_openpyxl, make_one  # noqa: E402
from toolkit.forms import form_filename  # noqa: E402
from toolkit.forms.writer import write_form  # noqa: E402

FORMS_LIMIT, CONSOLIDATE_SECONDS, PER_FILE_LIMIT, MEMORY_MB = 1.5, 2.0, 4.0, 300
R2_LIMIT, GROWTH_LIMIT = 0.98, 1.3
PARTS = ("forms", "consolidate", "growth", "startup", "extra", "command", "province")


def main() -> None:
    args = _arguments()
    if args.child:
        _child(Path(args.child), args.returns, args.workers)
        return
    work = Path(args.dir)
    largest = max([args.returns, *args.sizes])
    bloc = bench_bloc(largest)
    print(f"thidua bench: {os.cpu_count()} cores, data in {work}")
    _dataset(bloc, work, largest)
    results = {"cores": os.cpu_count(), "load_average": os.getloadavg()}
    parts = set(args.parts)
    if args.forms and "forms" in parts:
        results["forms"] = _forms(bloc, work, args.forms)
    files = sorted((work / "data" / "nhan").glob("*.xlsx"), key=lambda p: int(p.name.split("-")[0]))
    if "consolidate" in parts:
        results["consolidate"] = _consolidate(work, files, args.returns, args.workers)
    if "growth" in parts:
        results["growth"] = _growth(work, files, args.sizes, args.workers)
    env = speed.environment()
    if "startup" in parts:
        results["startup"] = speed.startup(work, env, _report)
    if "extra" in parts:
        results["per_extra_return"] = speed.per_extra_return(files, lambda n: _run_size(work, files, n, 1), _report)
    if "command" in parts:
        results["command"] = speed.command_growth(work, files, args.sizes, env, _report)
    if "province" in parts:
        results["province"] = speed.province(work, env, _report)
    results["load_average_after"] = os.getloadavg()
    (work / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {work / 'results.json'}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=1000, help="forms to generate (target 1; 0 skips it)")
    parser.add_argument("--returns", type=int, default=1000, help="returns to consolidate (targets 2, 3)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000, 5000],
                        help="growth sizes, comma-separated (e.g. 100,1000,5000,20000)")
    parser.add_argument("--workers", type=int, default=None, help="reading processes (default: one per core)")
    parser.add_argument("--dir", default="/tmp/thidua-bench", help="work folder, reused between runs")
    parser.add_argument("--parts", type=lambda s: s.split(","), default=list(PARTS),
                        help=f"what to measure, comma-separated (default all: {','.join(PARTS)})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


def _dataset(bloc, work: Path, count: int) -> None:
    """Forms by write_form and returns by the fast fill for `count` units; what an earlier run made
    is kept and only the missing units are added."""
    data = work / "data"
    marker = data / "dataset.json"
    fingerprint = bloc.criteria.fingerprint()
    done = 0
    if marker.is_file():
        saved = json.loads(marker.read_text())
        done = saved["units"] if saved.get("fingerprint") == fingerprint else 0
    if done >= count:
        print(f"data set: reusing {done} returns")
        return
    for sub in ("phieu", "nhan", "typed"):
        (data / sub).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tasks = [(bloc, i, data / "phieu", data / "nhan") for i in range(done, count)]
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        for made, _ in enumerate(pool.map(make_one, tasks, chunksize=50), start=done + 1):
            if made % 1000 == 0:
                print(f"  data set: {made}/{count}", flush=True)
    check_fast_fill_matches_openpyxl(bloc, data / "phieu", data / "nhan", data / "typed")
    marker.write_text(json.dumps({"units": count, "fingerprint": fingerprint}))
    print(f"data set: {count - done} forms + returns made in {time.perf_counter() - start:.0f} s "
          "(fast fill checked against openpyxl on a sample)")


def _forms(bloc, work: Path, count: int, block: int = 50) -> dict:
    members = bloc.members[:count]
    calls = [record_form(bloc, m) for m in members]  # untimed: the baseline's input
    thidua_dir, plain_dir = work / "forms-thidua", work / "forms-xlsxwriter"
    thidua_dir.mkdir(exist_ok=True)
    plain_dir.mkdir(exist_ok=True)
    thidua_s = plain_s = 0.0
    for first in range(0, count, block):
        part = range(first, min(first + block, count))
        start = time.perf_counter()
        for i in part:
            write_form(bloc, members[i], thidua_dir / form_filename(members[i]))
        thidua_s += time.perf_counter() - start
        start = time.perf_counter()
        for i in part:
            replay(calls[i], plain_dir / form_filename(members[i]))
        plain_s += time.perf_counter() - start
    ratio = thidua_s / plain_s
    _report(f"generate {count} forms", f"{thidua_s:.2f} s", f"XlsxWriter alone {plain_s:.2f} s",
            f"{ratio:.2f}x", f"<= {FORMS_LIMIT}x", ratio <= FORMS_LIMIT)
    return {"count": count, "thidua_s": thidua_s, "xlsxwriter_s": plain_s, "ratio": ratio,
            "pass": ratio <= FORMS_LIMIT}


def _consolidate(work: Path, files: list[Path], count: int, workers: int | None, runs: int = 3) -> dict:
    """`runs` fresh consolidations, each followed at once by its baseline (best of three passes), so
    that a slow spell of the machine hits both sides of a ratio. The 2 s target takes the fastest run
    (the floor: other load only ever adds time); the per-file target the median of the paired ratios."""
    pairs = []
    for _ in range(runs):
        run = _run_size(work, files, count, workers)
        pairs.append((run, _inflate_per_file(files[:count])))
    run = min((r for r, _ in pairs), key=lambda r: r["seconds"])
    ratios = sorted(r["phases"]["collect_returns"] / count / inflate for r, inflate in pairs)
    ratio = statistics.median(ratios)
    inflate = statistics.median(i for _, i in pairs)
    per_file = ratio * inflate
    ok_time, ok_ratio = run["seconds"] <= CONSOLIDATE_SECONDS, ratio <= PER_FILE_LIMIT
    _report(f"consolidate {count} returns", f"{run['seconds']:.2f} s", f"best of {runs}", "",
            f"<= {CONSOLIDATE_SECONDS} s", ok_time)
    _report("  per file (read + check)", f"{per_file * 1e3:.2f} ms", f"open+inflate {inflate * 1e3:.2f} ms",
            f"{ratio:.1f}x", f"<= {PER_FILE_LIMIT}x", ok_ratio)
    print(f"  (paired ratios {', '.join(f'{x:.1f}x' for x in ratios)}; fastest run: read and check "
          "{collect_returns:.2f} s, rank {rank_bloc:.2f} s, summary {write_summary:.2f} s; ".format(**run["phases"])
          + f"CPU per file in the reading processes {run['read_cpu_s'] / count * 1e3:.2f} ms, "
          f"whole run per file {run['seconds'] / count * 1e3:.2f} ms)")
    memory = run["rss_mb"] + run["workers_rss_mb"]
    _report(f"memory, {count} returns", f"{memory:.0f} MB",
            f"main {run['rss_mb']:.0f} + workers {run['workers_rss_mb']:.0f}", "", f"<= {MEMORY_MB} MB",
            memory <= MEMORY_MB)
    return {**run, "inflate_s_per_file": inflate, "per_file_ratio": ratio, "paired_ratios": ratios,
            "memory_mb": memory, "pass_time": ok_time, "pass_ratio": ok_ratio, "pass_memory": memory <= MEMORY_MB}


def _growth(work: Path, files: list[Path], sizes: list[int], workers: int | None) -> dict:
    runs = [_run_size(work, files, n, workers) for n in sizes]
    xs, ys = sizes, [r["seconds"] for r in runs]
    slope, intercept = _line(xs, ys)
    mean = statistics.fmean(ys)
    fitted = [intercept + slope * x for x in xs]
    total = sum((y - mean) ** 2 for y in ys)
    r2 = 1 - sum((y - f) ** 2 for y, f in zip(ys, fitted)) / total if total else 1.0
    per_file = [y / x for x, y in zip(xs, ys)]
    growth = per_file[-1] / per_file[0]
    for n, r in zip(sizes, runs):
        print(f"  {n:>6} returns: {r['seconds']:7.2f} s  ({r['seconds'] / n * 1e3:.2f} ms per file, "
              f"peak {r['rss_mb'] + r['workers_rss_mb']:.0f} MB)")
    ok = r2 >= R2_LIMIT and growth <= GROWTH_LIMIT
    _report(f"growth {sizes[0]}..{sizes[-1]}", f"{slope * 1000:.2f} s per 1,000", f"R² {r2:.4f}",
            f"{growth:.2f}x per file", f"R² >= {R2_LIMIT}, <= {GROWTH_LIMIT}x", ok)
    return {"sizes": sizes, "runs": runs, "slope_s_per_1000": slope * 1000, "r2": r2,
            "per_file_growth": growth, "pass": ok}


def _run_size(work: Path, files: list[Path], count: int, workers: int | None) -> dict:
    """Consolidate the first `count` returns in a fresh process (hard links: no copies)."""
    folder = work / "runs" / str(count)
    inbox = folder / "nhan"
    inbox.mkdir(parents=True, exist_ok=True)
    present = {p.name for p in inbox.iterdir()}
    wanted = {p.name: p for p in files[:count]}
    for name in present - set(wanted):
        (inbox / name).unlink()
    for name, src in wanted.items():
        if name not in present:
            os.link(src, inbox / name)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder), "--returns", str(count)]
    if workers:
        command += ["--workers", str(workers)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _child(folder: Path, count: int, workers: int | None) -> None:
    """In a fresh process: time consolidate() and report peak memory, as one JSON line."""
    import toolkit.ranking
    import toolkit.summary
    from toolkit import folder as stages

    phases: dict[str, float] = {}
    cpu: dict[str, float] = {}
    # consolidate() imports rank_bloc and write_summary from their modules when it runs
    for module, name in ((stages, "collect_returns"), (toolkit.ranking, "rank_bloc"),
                         (toolkit.summary, "write_summary")):
        setattr(module, name, _timed(getattr(module, name), name, phases, cpu))
    bloc = bench_bloc(count)
    start = time.perf_counter()
    result = stages.consolidate(folder, bloc, workers=workers)
    seconds = time.perf_counter() - start
    assert len(result.returns.submissions) == count, "every return must be valid"
    # the data set has no chair's ledger (returns.no_ledger, a warning); anything else is a bench fault
    assert {p.code for p in result.problems} <= {"returns.no_ledger"}, result.problems[:3]
    kb = 1024 if sys.platform != "darwin" else 1 << 20
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reading processes, ended by now
    print(json.dumps({"count": count, "seconds": seconds, "phases": phases, "rss_mb": _own_peak_mb(),
                      "workers_rss_mb": workers.ru_maxrss / kb,
                      "read_cpu_s": cpu["collect_returns"] + workers.ru_utime + workers.ru_stime}))


def _timed(func, name: str, phases: dict[str, float], cpu: dict[str, float]):
    """`func`, adding its wall time to phases[name] and this process's CPU time to cpu[name]."""
    def run(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - start
            cpu[name] = cpu.get(name, 0.0) + time.process_time() - start_cpu
    return run


def _own_peak_mb() -> float:
    """Peak RSS of this process since it started. Linux keeps ru_maxrss across exec (so it would
    include the benchmark's own memory at fork time); VmHWM belongs to this program alone."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1 << 20)


def _inflate_per_file(files: list[Path]) -> float:
    best = float("inf")
    for _ in range(3):  # best of three passes: the floor, not the noise
        start = time.perf_counter()
        for path in files:
            open_and_inflate(path)
        best = min(best, (time.perf_counter() - start) / len(files))
    return best


def _line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def _report(work: str, measured: str, baseline: str, ratio: str, limit: str, ok: bool) -> None:
    print(f"{work:<30} {measured:>14}  {baseline:<30} {ratio:>16}  {limit:<20} {'PASS' if ok else 'FAIL'}",
          flush=True)


if __name__ == "__main__":
    main()
