"""What the chair sees from the command line is Vietnamese — click's own chrome included."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner

from toolkit.cli import main

ENGLISH_CHROME = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Missing argument",
                  "[OPTIONS]", "does not exist")


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("args", [["--help"], *[[name, "--help"] for name in _commands()]])
def test_help_is_vietnamese_nfc(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Cách dùng:" in result.output and "Tùy chọn" in result.output
    assert not [w for w in ENGLISH_CHROME if w in result.output]
    assert unicodedata.is_normalized("NFC", result.output)


def test_usage_errors_are_vietnamese(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["init"])
    assert missing.exit_code == 2 and "Thiếu tham số" in missing.output
    unknown = runner.invoke(main, ["khong-co-lenh"])
    assert unknown.exit_code == 2 and "Không có lệnh" in unknown.output
    no_dir = runner.invoke(main, ["forms", str(tmp_path / "khong-co")])
    assert no_dir.exit_code == 2 and "không tồn tại" in no_dir.output
    for result in (missing, unknown, no_dir):
        assert not [w for w in ENGLISH_CHROME if w in result.output]
