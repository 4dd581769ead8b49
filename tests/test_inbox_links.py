"""A symbolic link in nhan/ is reported as a link, and what it points to is never opened nor stat'ed."""

from __future__ import annotations

import os
import sys

import pytest

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.demo import fill_form
from toolkit.forms import generate_forms
from toolkit.peer import read_peer_forms
from toolkit.returns import collect_returns, read_return
from toolkit.paths import inbox_files
from toolkit.texts.problems import CATALOG

INPUTS = {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1}
_watched: set[str] = set()
_touched: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _watched and isinstance(args[0], (str, bytes, os.PathLike)):
        if os.path.realpath(os.fsdecode(args[0])) in _watched:
            _touched.append(f"open {args[0]}")


sys.addaudithook(_audit)  # hooks cannot be removed: this one only records while a test watches


@pytest.fixture
def watch(monkeypatch):
    """Record every open() of, and every stat() through a link to, the watched real files."""
    real_stat = os.stat

    def stat(path, *args, follow_symlinks=True, **kwargs):
        if follow_symlinks and _watched and os.path.realpath(os.fspath(path)) in _watched:
            _touched.append(f"stat {path}")
        return real_stat(path, *args, follow_symlinks=follow_symlinks, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    _touched.clear()
    try:
        yield lambda *paths: _watched.update(os.path.realpath(p) for p in paths)
    finally:
        _watched.clear()


@pytest.fixture
def inbox(tmp_path):
    bloc = small_bloc()
    form = generate_forms(bloc, tmp_path / "phieu")[0]
    valid = fill_form(form, tmp_path / "ngoai" / form.name, bloc, INPUTS, {})
    assert read_return(valid, bloc).ok  # the form the link points to is itself a valid return
    nhan = tmp_path / "nhan"
    nhan.mkdir()
    (nhan / "x.xls").symlink_to("/etc/passwd")
    (nhan / "y.xlsx").symlink_to(valid)
    return bloc, nhan, valid


def test_links_in_the_inbox_are_reported_as_links_and_never_read(inbox, watch):
    bloc, nhan, valid = inbox
    files = inbox_files(nhan)
    assert [p.name for p in files] == ["x.xls", "y.xlsx"]
    watch("/etc/passwd", valid)
    returns = collect_returns(files, bloc, workers=1)
    assert _touched == []
    assert returns.submissions == {}
    for result in returns.results:
        assert [(p.code, p.file, p.unit) for p in result.problems] == [("file.link", result.path.name, "")]
        assert result.sha256 == "" and result.unit_code == ""
    message = returns.results[0].problems[0].message
    assert message == CATALOG["file.link"].template and "liên kết" in message and "nhan/" in message


def test_a_link_named_like_a_units_form_is_not_blamed_on_that_unit(inbox, watch):
    bloc, nhan, valid = inbox
    (nhan / valid.name).symlink_to(valid)
    watch(valid)
    returns = collect_returns(inbox_files(nhan), bloc, workers=1)
    assert _touched == []
    assert {r.path.name: r.unit_code for r in returns.results} == {"x.xls": "", "y.xlsx": "", valid.name: ""}
    assert returns.not_counted() == {}


def test_the_watch_sees_a_read_when_the_link_is_followed(inbox, watch):
    """The watch itself works: reading the valid form directly is seen."""
    bloc, _, valid = inbox
    watch(valid)
    assert read_return(valid, bloc).ok
    assert _touched


def test_a_link_among_the_peer_forms_is_reported_and_never_read(inbox, watch, tmp_path):
    bloc, _, valid = inbox
    link = tmp_path / "cham-cheo.xlsx"
    link.symlink_to(valid)
    watch(valid)
    meeting = read_peer_forms([link], bloc)
    assert _touched == [] and meeting.cross == []
    assert [(p.code, p.file) for p in meeting.problems] == [("file.link", "cham-cheo.xlsx")]
