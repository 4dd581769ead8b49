"""Write the ready-made workbooks of this folder, exactly as the code writes them today:

    python3 workbooks/make.py            (from the repository's root)

- khoi-trong.xlsx, khoi-<bloc>.xlsx: the chair's workbook, empty template and each built-in bloc;
- phieu-mau-da-dien.xlsx: one form of the demo bloc, filled in as a unit would (demo inputs);
- tong-hop-mau.xlsx: the demo bloc's summary, from every member's filled form.

The output is deterministic: the clock is frozen at FIXED_MOMENT while writing, form ids are numbered,
the example seal uses a public example secret, and every zip entry gets a fixed timestamp.
tests/test_workbooks.py checks that this folder holds exactly what `write_workbooks` writes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sys
import tempfile
import time
import types
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from toolkit.bloc import BUILTIN_BLOCS, DEFAULT_BLOC, builtin_bloc  # noqa: E402
from toolkit.chairbook import write_bloc_workbook  # noqa: E402
from toolkit.demo import fill_demo  # noqa: E402
from toolkit.folder import consolidate, init_folder, make_forms  # noqa: E402
from toolkit.paths import BlocFolder  # noqa: E402

FIXED_MOMENT = dt.datetime(2026, 12, 15, 8, 0, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EXAMPLE_SECRET = "0" * 64  # public: only for these examples; every real bloc folder makes its own
EMPTY = "trong"


class FrozenDateTime(dt.datetime):
    """datetime whose now() and utcnow() are FIXED_MOMENT."""

    @classmethod
    def now(cls, tz=None):
        return FIXED_MOMENT.astimezone(tz) if tz else FIXED_MOMENT.replace(tzinfo=None)

    @classmethod
    def utcnow(cls):
        return FIXED_MOMENT.replace(tzinfo=None)


@contextmanager
def frozen_clock() -> Iterator[None]:
    """Freeze the clocks the writers read (XlsxWriter's and openpyxl's document dates, the form's
    metadata, the ledger) and number the form ids."""
    ids = (f"{n:032x}" for n in itertools.count(1))
    frozen_module = types.SimpleNamespace(datetime=FrozenDateTime, timezone=dt.timezone)
    with ExitStack() as stack:
        stack.enter_context(utc_local_time())
        for target in ("xlsxwriter.core.datetime", "toolkit.forms.writer.datetime",
                       "toolkit.chairbook.ledger.datetime"):
            stack.enter_context(mock.patch(target, FrozenDateTime))
        stack.enter_context(mock.patch("openpyxl.writer.excel.datetime", frozen_module))
        stack.enter_context(mock.patch("toolkit.forms.writer.uuid.uuid4",
                                       lambda: types.SimpleNamespace(hex=next(ids))))
        yield


@contextmanager
def utc_local_time() -> Iterator[None]:
    """Local time is UTC while writing (file times shown in the summary do not depend on the machine)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def canonical_zip(path: Path) -> None:
    """Rewrite the zip's entries in the same order with a fixed timestamp (writers stamp the time)."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            zout.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def write_workbooks(out: Path) -> list[Path]:
    """Write every example workbook into `out`; their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with frozen_clock():
        written = [_chair_workbook(out, name) for name in (EMPTY, *BUILTIN_BLOCS)]
        written += _demo_examples(out)
    for path in written:
        canonical_zip(path)
    return written


def _chair_workbook(out: Path, name: str) -> Path:
    path = out / f"khoi-{name}.xlsx"
    write_bloc_workbook(path, None if name == EMPTY else builtin_bloc(name))
    return path


def _demo_examples(out: Path) -> list[Path]:
    """One filled form and the summary of the demo bloc, made in a scratch folder."""
    bloc = builtin_bloc(DEFAULT_BLOC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "khoi")
        secret = BlocFolder.at(folder).secret
        secret.parent.mkdir(parents=True)
        secret.write_text(EXAMPLE_SECRET + "\n", encoding="ascii")
        init_folder(folder, bloc)
        returned = fill_demo(folder, bloc, make_forms(folder))
        stamp = FIXED_MOMENT.timestamp()
        for path in returned:  # as the units' files arrived: stamped at one fixed moment
            canonical_zip(path)
            os.utime(path, (stamp, stamp))
        result = consolidate(folder, today=FIXED_MOMENT.date())
        form = Path(shutil.copyfile(returned[0], out / "phieu-mau-da-dien.xlsx"))
        summary = Path(shutil.copyfile(result.summary_path, out / "tong-hop-mau.xlsx"))
    return [form, summary]


if __name__ == "__main__":
    for written_path in write_workbooks(HERE):
        print(written_path.relative_to(HERE.parent))
