"""Where the chair waits (issue 20): start-up, per extra return against python-calamine, growth through
the `thidua` command, and a province folder. Called by bench/run.py; every figure is measured in the
same run as its baseline.

Every command runs in a fresh process with the toolkit byte-compiled beforehand (as an installed
package is), and its memory is the peak, sampled every 50 ms (`tree_peak`), of the whole process tree
with each page counted once: the command's RSS plus the private pages (USS) of each of its descendants.
Forked workers share the command's heap and libraries, so a page they share is counted in the command
only; summed RSS, which counts it in every process, is printed as the upper bound. (PSS would split
the shared libraries' pages with any other process that maps them, the benchmark itself included, and
so count less than the command uses.)
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
STARTUP_HELP, STARTUP_CHECK, DEMO_SECONDS, EXTRA_RETURN_LIMIT = 5.0, 8.0, 0.3, 4.0
COUNTRY, COUNTRY_SECONDS, COUNTRY_MB = 20_000, 10.0, 300
PROVINCE_BLOCS, PROVINCE_UNITS = 91, 11


def environment() -> dict[str, str]:
    """The toolkit of this checkout, imported from byte-code (compiled once here)."""
    compileall.compile_dir(str(ROOT / "toolkit"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def thidua(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", *map(str, args)]


class TreeRun(NamedTuple):
    seconds: float
    peak_mb: float  # the process tree's pages, each counted once (see the module)
    rss_sum_mb: float  # RSS summed over the process tree: an upper bound
    exit: int


def tree_peak(command: list[str], env: dict[str, str]) -> TreeRun:
    """Run `command`; its time, peak memory over its process tree (see the module) and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    once = rss = 0
    while proc.poll() is None:
        root, *descendants = _tree(proc.pid)
        root_rss, workers = _rss_kb(root), [_rollup_kb(p) for p in descendants]
        once = max(once, root_rss + sum(private for _, private in workers))
        rss = max(rss, root_rss + sum(resident for resident, _ in workers))
        time.sleep(0.05)
    return TreeRun(time.perf_counter() - start, once / 1024, rss / 1024, proc.returncode)


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        try:
            children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()
        except OSError:
            children = []
        pids += map(int, children)
        i += 1
    return pids


def _rollup_kb(pid: int) -> tuple[int, int]:
    """The process's (RSS, private pages (USS)) in kB from one read of /proc/PID/smaps_rollup
    ((0, 0) when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    fields = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if line.endswith("kB")}
    return fields.get("Rss", 0), fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)


def _rss_kb(pid: int) -> int:
    """The process's RSS in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def best_time(command: list[str], env: dict[str, str], runs: int = 7) -> float:
    """The fastest of `runs` (the floor: other load only ever adds time)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def startup(work: Path, env: dict[str, str], report) -> dict:
    """`thidua --help`, `thidua check` of one return and `thidua consolidate` of the demo bloc, each
    against a bare `python3 -c pass` (interleaved: bare, help, check, demo, seven rounds)."""
    demo = work / "demo"
    if not (demo / "nhan").is_dir():
        subprocess.run(thidua("demo", demo), env=env, check=True, capture_output=True)
    one = sorted((demo / "nhan").glob("*.xlsx"))[0]
    commands = {"bare": [sys.executable, "-c", "pass"], "help": thidua("--help"),
                "check": thidua("check", one), "demo": thidua("consolidate", demo)}
    best = {name: float("inf") for name in commands}
    for _ in range(7):
        for name, command in commands.items():
            best[name] = min(best[name], best_time(command, env, runs=1))
    ratios = {name: best[name] / best["bare"] for name in ("help", "check", "demo")}
    report("start-up: thidua --help", f"{best['help'] * 1e3:.0f} ms", f"python -c pass {best['bare'] * 1e3:.0f} ms",
           f"{ratios['help']:.1f}x", f"<= {STARTUP_HELP}x", ratios["help"] <= STARTUP_HELP)
    report("start-up: thidua check (1 file)", f"{best['check'] * 1e3:.0f} ms", "", f"{ratios['check']:.1f}x",
           f"<= {STARTUP_CHECK}x", ratios["check"] <= STARTUP_CHECK)
    report("consolidate demo bloc (11)", f"{best['demo']:.2f} s", "", f"{ratios['demo']:.1f}x",
           f"<= {DEMO_SECONDS} s", best["demo"] <= DEMO_SECONDS)
    return {"seconds": best, "ratios": ratios}


def calamine_seconds(files: list[Path]) -> float:
    """python-calamine reading every sheet of each file to Python values, best of three passes."""
    from python_calamine import CalamineWorkbook

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for path in files:
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        best = min(best, time.perf_counter() - start)
    return best


def per_extra_return(files: list[Path], run_size, report, small: int = 100, large: int = 1000) -> dict:
    """(consolidate `large` - consolidate `small`) / (calamine `large` - calamine `small`), one core
    each (`run_size` reads in one process; calamine reads one file at a time): what each extra return
    costs, start-up and per-bloc work cancelled out. Best of three each."""
    thidua_s = {n: min(run_size(n)["seconds"] for _ in range(3)) for n in (small, large)}
    cal = {n: calamine_seconds(files[:n]) for n in (small, large)}
    extra, extra_cal = thidua_s[large] - thidua_s[small], cal[large] - cal[small]
    ratio = extra / extra_cal
    per = extra / (large - small)
    report("per extra return (1 core)", f"{per * 1e3:.2f} ms", f"calamine {extra_cal / (large - small) * 1e3:.2f} ms",
           f"{ratio:.1f}x", f"<= {EXTRA_RETURN_LIMIT}x", ratio <= EXTRA_RETURN_LIMIT)
    return {"thidua_s": thidua_s, "calamine_s": cal, "ratio": ratio, "pass": ratio <= EXTRA_RETURN_LIMIT}


def command_folder(work: Path, files: list[Path], count: int) -> Path:
    """A bloc folder for `thidua consolidate`: a chair's workbook of the bench bloc with `count` units
    (every unit returned, as in a country-wide run) and their returns (hard links, kept between runs)."""
    from bench.dataset import bench_bloc
    from toolkit.chairbook import write_bloc_workbook

    folder = work / "cmd" / str(count)
    inbox = folder / "nhan"
    inbox.mkdir(parents=True, exist_ok=True)
    write_bloc_workbook(folder / "khoi.xlsx", bench_bloc(count))
    present = {p.name for p in inbox.iterdir()}
    for src in files[:count]:
        if src.name not in present:
            os.link(src, inbox / src.name)
    return folder


def command_growth(work: Path, files: list[Path], sizes: list[int], env: dict[str, str], report) -> dict:
    """`thidua consolidate` (the whole command: chair's workbook, printout, summary, feedback) at each size."""
    runs = []
    for n in sizes:
        run = tree_peak(thidua("consolidate", command_folder(work, files, n)), env)
        runs.append({"count": n, **run._asdict()})
        print(f"  thidua consolidate {n:>6}: {run.seconds:7.2f} s  ({run.seconds / n * 1e3:.2f} ms per return, "
              f"peak {run.peak_mb:.0f} MB over all processes (RSS summed: {run.rss_sum_mb:.0f} MB), "
              f"exit {run.exit})", flush=True)
    per_file = [r["seconds"] / r["count"] for r in runs]
    growth = per_file[-1] / per_file[0]
    report(f"thidua consolidate {sizes[0]}..{sizes[-1]}", f"{runs[-1]['seconds']:.2f} s",
           f"peak {runs[-1]['peak_mb']:.0f} MB", f"{growth:.2f}x per return", "<= 1.3x", growth <= 1.3)
    country = next((r for r in runs if r["count"] == COUNTRY), None)
    if country:
        report("a whole country (20,000): time", f"{country['seconds']:.2f} s", "", "",
               f"<= {COUNTRY_SECONDS} s", country["seconds"] <= COUNTRY_SECONDS)
        report("a whole country (20,000): memory", f"peak {country['peak_mb']:.0f} MB",
               f"RSS summed {country['rss_sum_mb']:.0f} MB", "", f"<= {COUNTRY_MB} MB",
               country["peak_mb"] <= COUNTRY_MB)
    return {"runs": runs, "per_return_growth": growth}


def province_folder(work: Path) -> Path:
    """91 bloc folders of 11 returns each (made once with the bench data set's fast fill)."""
    from bench.dataset import bench_bloc, make_one
    from toolkit.chairbook import write_bloc_workbook

    root = work / "tinh"
    for i in range(PROVINCE_BLOCS):
        folder = root / f"khoi-{i + 1:02d}"
        if (folder / "khoi.xlsx").is_file():
            continue
        bloc = bench_bloc(PROVINCE_UNITS, name=f"Khối thi đua số {i + 1}")
        for sub in ("phieu", "nhan"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        for n in range(PROVINCE_UNITS):
            make_one((bloc, n, folder / "phieu", folder / "nhan"))
        write_bloc_workbook(folder / "khoi.xlsx", bloc)
    return root


def province(work: Path, env: dict[str, str], report) -> dict:
    """`thidua consolidate` of the province folder (blocs side by side where cores are idle) against
    the same run with one process (`consolidate_province(workers=1)`)."""
    root = province_folder(work)
    side = tree_peak(thidua("consolidate", root), env)
    one_process = [sys.executable, "-c", "import sys; from toolkit.province import consolidate_province; "
                   "consolidate_province(sys.argv[1], workers=1)", str(root)]
    alone = tree_peak(one_process, env)
    report(f"province {PROVINCE_BLOCS} x {PROVINCE_UNITS}", f"{side.seconds:.2f} s",
           f"one process {alone.seconds:.2f} s", f"{alone.seconds / side.seconds:.2f}x faster",
           f"peak {side.peak_mb:.0f} MB", side.exit == 0)
    return {**side._asdict(), "one_process_s": alone.seconds, "one_process_peak_mb": alone.peak_mb}
