"""Province-wide consolidation: many bloc folders -> each bloc's summary + one province summary,
and the Government-flag rule (at most 20 % of the bloc leaders)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.bloc import GradeBand, Rules
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import Consolidation, init_folder, load_folder_bloc, make_forms
from toolkit.forms import form_filename
from toolkit.province import (BlocOutcome, bloc_leader, bloc_workers, choose_candidates, consolidate_province,
                              gov_flag_quota, is_province_folder)
from toolkit.ranking import rank_bloc
from toolkit.returns import parallel
from toolkit.summary import summary_filename
from toolkit.texts import province as TP

# Bands reachable by the small bloc (base 30, bonus cap 4): Xuất sắc from 25 points.
RULES = Rules(bonus_cap=4, grade_bands=(GradeBand("Xuất sắc", 25, 0.5), GradeBand("Tốt", 15, 0.3),
                                        GradeBand("Hoàn thành", 10, 0.0)))
WEAK = {"I.1": 100, "I.2": 5, "II.1": 0.0, "II.2": 0, "III.1": 0, "IV.1": 0}  # total 10


def strong(score: float = 10, bonus: int = 0, penalty: int = 0) -> dict:
    """A leader: I.1 best in bloc (10), I.2 `score`, II full (10), bonus 3 per time (cap 4), penalty."""
    return {"I.1": 110, "I.2": score, "II.1": 1.0, "II.2": 2, "III.1": bonus, "IV.1": penalty}


def outcome(i: int, leader: dict) -> BlocOutcome:
    bloc = small_bloc(name=f"Khối thi đua số {i}", rules=RULES)
    ranking = rank_bloc(bloc, {"A": leader, "B": WEAK, "C": WEAK})
    done = Consolidation(bloc, None, ranking, Path())
    return BlocOutcome(Path(f"khoi-{i:02d}"), done, bloc_leader(done))


@pytest.mark.parametrize("leaders, quota", [(0, 0), (1, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3)])
def test_the_quota_is_20_percent_of_the_leaders_rounded_down(leaders, quota):
    assert gov_flag_quota(leaders) == quota


def test_candidates_are_the_best_excellent_leaders_within_the_quota():
    leaders = [strong(bonus=2),               # 20 + 10 + 4 = 34
               strong(bonus=2, penalty=1),    # 33, one penalty point
               strong(bonus=1),               # 33, no penalty: wins the tie
               strong(score=4),               # 24: Tốt, not eligible
               *[strong(score=s) for s in (9, 8, 7, 6, 5.5, 5)]]  # 29 .. 25
    outcomes = [outcome(i, v) for i, v in enumerate(leaders)]
    assert [o.row["total"] for o in outcomes[:4]] == [34, 33, 33, 24]
    quota = choose_candidates(outcomes)
    assert quota == 2
    assert [o.folder.name for o in outcomes if o.candidate] == ["khoi-00", "khoi-02"]
    assert not outcomes[3].eligible


def test_an_ineligible_leader_is_never_chosen_even_within_the_quota():
    outcomes = [outcome(i, strong(score=4)) for i in range(5)]  # five leaders, all graded Tốt
    assert choose_candidates(outcomes) == 1
    assert not any(o.candidate for o in outcomes)


def _bloc_folder(root: Path, i: int, inputs: dict[str, dict]) -> Path:
    folder = root / f"khoi-{i}"
    bloc = small_bloc(name=f"Khối thi đua số {i}", rules=RULES)
    init_folder(folder, bloc)
    bloc = load_folder_bloc(folder)  # as the chair's `thidua forms` does
    make_forms(folder, bloc)
    for m in bloc.members:
        if m.code in inputs:
            name = form_filename(m)
            fill_form(folder / "phieu" / name, folder / "nhan" / name, bloc, inputs[m.code])
    return folder


def _typed(values: dict) -> dict:
    return {k: (T.PASS if v == 1.0 else T.FAIL) if k == "II.1" else v for k, v in values.items()}


@pytest.mark.parametrize("option", [["--pdf"], ["--lich-su", "."]])
def test_options_for_one_bloc_are_refused_on_a_province_folder_not_ignored(tmp_path, option):
    province = tmp_path / "tinh"
    _bloc_folder(province, 1, {"A": _typed(WEAK)})
    run = CliRunner().invoke(main, ["consolidate", str(province), *option])
    assert run.exit_code == 2 and TP.OPTIONS_NOT_FOR_PROVINCE in run.stderr and "Traceback" not in run.output
    assert not (province / "ket-qua").exists() and not list((province / "khoi-1").rglob("tong-hop-*.xlsx"))


def test_consolidate_on_a_province_folder_writes_every_bloc_and_the_province_summary(tmp_path):
    province = tmp_path / "tinh"
    _bloc_folder(province, 1, {"A": _typed(WEAK), "B": _typed(strong(bonus=1)), "C": _typed(WEAK)})
    _bloc_folder(province, 2, {"A": _typed(strong(score=9)), "B": _typed(WEAK)})
    _bloc_folder(province, 3, {})  # nothing returned yet
    assert is_province_folder(province) and not is_province_folder(province / "khoi-1")

    run = CliRunner().invoke(main, ["consolidate", str(province)])
    assert run.exit_code == 0, run.output
    assert TP.PROGRESS in run.stderr
    assert "Bình" in run.stdout and "An" in run.stdout  # leaders of blocs 1 (B) and 2 (A)
    assert TP.BLOC_NO_LEADER.format(bloc="Khối thi đua số 3") in run.stdout
    for i in (1, 2, 3):
        bloc = small_bloc(name=f"Khối thi đua số {i}", rules=RULES)
        assert (province / f"khoi-{i}" / "ket-qua" / summary_filename(rank_bloc(bloc, {}))).is_file()

    path = province / "ket-qua" / "tong-hop-tinh-2026-tong-ket.xlsx"
    ws = openpyxl.load_workbook(path)[TP.SHEET]
    rows = {r[1]: r for r in ws.iter_rows(min_row=9, max_row=11, values_only=True)}
    assert rows["Khối thi đua số 1"][3:6] == ("Đơn vị Bình", 33, "Xuất sắc")
    assert rows["Khối thi đua số 2"][3:6] == ("Đơn vị An", 29, "Xuất sắc")
    assert rows["Khối thi đua số 3"][8] == TP.NO_LEADER
    # two leaders: 20 % of 2 rounds down to 0, so no Government-flag candidate
    assert TP.GOV_FLAG_YES not in [c for r in rows.values() for c in r]
    assert [r[7] for r in rows.values()][:2] == [TP.GOV_FLAG_OVER_QUOTA] * 2
    # printed like every official output: A4 landscape, Decree 30 margins, page numbers
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    assert round(ws.page_margins.left * 25.4) == 30 and round(ws.page_margins.right * 25.4) == 15
    assert "Trang &P/&N" in ws.oddFooter.center.text


def test_a_broken_bloc_does_not_stop_the_others(tmp_path):
    province = tmp_path / "tinh"
    _bloc_folder(province, 1, {"A": _typed(strong())})
    broken = province / "khoi-2"
    broken.mkdir()
    (broken / "khoi.xlsx").write_bytes(b"not a workbook")
    result = consolidate_province(province)
    assert [o.leader for o in result.outcomes] == ["A", None]
    assert result.outcomes[1].error and result.summary_path.is_file()


def test_blocs_side_by_side_give_the_same_results_in_the_same_order(tmp_path):
    province = tmp_path / "tinh"
    _bloc_folder(province, 1, {"A": _typed(WEAK), "B": _typed(strong(bonus=1))})
    _bloc_folder(province, 2, {"A": _typed(strong(score=9)), "B": _typed(WEAK)})
    _bloc_folder(province, 3, {"B": _typed(strong(score=8)), "C": _typed(strong(score=9, penalty=1))})
    broken = province / "khoi-4"
    broken.mkdir()
    (broken / "khoi.xlsx").write_bytes(b"not a workbook")
    seen = []
    apart = consolidate_province(province, workers=2, progress=lambda o: seen.append(o.folder.name))
    alone = consolidate_province(province, workers=1)

    def table(result):
        return [(o.folder.name, o.leader, o.error, o.candidate,
                 None if o.consolidation is None else o.consolidation.ranking.table.to_json())
                for o in result.outcomes]
    assert table(apart) == table(alone)
    assert [o.folder.name for o in apart.outcomes] == ["khoi-1", "khoi-2", "khoi-3", "khoi-4"]
    assert [o.leader for o in apart.outcomes] == ["B", "A", "C", None]
    assert seen == ["khoi-1", "khoi-2", "khoi-3", "khoi-4"]  # progress in folder order too
    assert bloc_workers(91, 2) == 2 and bloc_workers(3, 8) == 3 and bloc_workers(91, None) >= 1


@pytest.mark.parametrize("load, idle", [(0.1, 2), (1.2, 2), (1.6, 1), (7.0, 1)])
def test_without_proc_stat_workers_start_only_on_cores_the_load_average_leaves(monkeypatch, load, idle):
    """With the other core busy, side-by-side processes run slower than one: they must not start."""
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_cpu_ticks", lambda: None)  # macOS: no /proc/stat
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    assert parallel.idle_cores() == idle
    assert bloc_workers(91) == idle and parallel.worker_count(1000) == idle
    assert bloc_workers(91, workers=2) == 2  # asked for explicitly: always given


@pytest.mark.parametrize("other, idle", [(0.1, 2), (0.4, 2), (0.6, 1), (1.0, 1), (2.0, 1)])
def test_the_cores_busy_right_now_are_read_from_two_samples_of_proc_stat(monkeypatch, other, idle):
    """`other`: cores' worth of work by other processes between the samples (100 ticks a core)."""
    before = {"cpu0": (1000, 400), "cpu1": (1000, 600)}
    busy_on = [min(other, 1.0), max(other - 1.0, 0.0)]
    after = {f"cpu{n}": (1100, before[f"cpu{n}"][1] + round(100 * (1 - b))) for n, b in enumerate(busy_on)}
    assert parallel.busy_cores(before, after) == pytest.approx(other)
    samples = iter([before, after])
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_cpu_ticks", lambda: next(samples))
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # lagging: not read
    assert parallel.idle_cores() == idle


def test_a_process_spinning_now_takes_its_core_away_from_the_readers():
    assert parallel._cpu_ticks() is not None  # Linux, where CI runs: the live measure is the one used
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert max(parallel.idle_cores() for _ in range(5)) <= max(1, parallel.available_cores() - 1)
    finally:
        spinner.kill()
        spinner.wait()


def test_a_bloc_too_small_for_two_workers_does_not_look_at_the_cores(monkeypatch):
    monkeypatch.setattr(parallel, "idle_cores", lambda: pytest.fail("measured the cores for 63 files"))
    assert parallel.worker_count(2 * parallel.MIN_FILES_PER_WORKER - 1) == 1
