"""README command 1, extracted from README.md and run as written in a copy of the repository.

Run with the distribution's /usr/bin/python3 (a PEP 668 "externally managed" Python on Debian 12 /
Ubuntu 24.04) and with the Python running the tests (pyenv's here and in CI). `python3` on the command's
PATH is a symlink to the interpreter under test; pyenv's shims, PYTHONPATH and any active virtual
environment are removed, so nothing of the developer's environment leaks in. pip installs the
dependencies from the indexes configured on the machine.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION_PYTHON = Path("/usr/bin/python3")
DROPPED_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYENV_VERSION", "PYENV_DIR", "PYENV_HOOK_PATH")


def readme_command(number: int) -> str:
    """The command line under the `# N.` comment of the README's first bash block."""
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"# {number}."))
    return next(line for line in lines[start + 1:] if line.strip() and not line.startswith("#"))


def _interpreters() -> list:
    seen, found = set(), []
    for label, path in (("distribution", DISTRIBUTION_PYTHON), ("running", Path(sys.executable))):
        if path.resolve() not in seen:
            seen.add(path.resolve())
            found.append(pytest.param(path, id=label))
    return found


def _repository_copy(dst: Path) -> Path:
    """The files a clone would have (tracked, plus new ones not ignored), from the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dst / name)
    return dst


def _clean_env(bin_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and "pyenv" not in p and ".venv" not in p]
    env["PATH"] = os.pathsep.join([str(bin_dir), *path])
    return env


def test_readme_names_the_venv_route_and_the_windows_equivalent():
    assert readme_command(1).startswith("python3 -m venv .venv && .venv/bin/python -m pip install . && ")
    assert readme_command(2) == "bash .ci/run"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert r"py -m venv .venv && .venv\Scripts\python -m pip install . && .venv\Scripts\thidua demo" in readme


@pytest.mark.setup
@pytest.mark.parametrize("python", _interpreters())
def test_readme_command_1_runs_as_written(python: Path, tmp_path: Path):
    if not python.exists():
        pytest.fail(f"{python} is missing")
    repo = _repository_copy(tmp_path / "thidua")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(python)
    done = subprocess.run(["bash", "-c", readme_command(1)], cwd=repo, env=_clean_env(bin_dir),
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (repo / ".venv/bin/python").resolve() == python.resolve()      # the venv is the tested Python's
    assert list((repo / "thidua-demo/ket-qua").glob("tong-hop-*.xlsx"))
    installed = subprocess.run([repo / ".venv/bin/python", "-c", "import toolkit; print(toolkit.__file__)"],
                               cwd=tmp_path, capture_output=True, text=True, env=_clean_env(bin_dir))
    assert str(repo / ".venv") in installed.stdout, installed.stdout + installed.stderr
