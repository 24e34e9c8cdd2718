"""scripts/pick-python.sh: which Python .venv/ is built on (the distribution's when it can, see README)."""
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pick-python.sh"


def pick(tmp_path, **env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "SYSTEM_PYTHON")}
    out = subprocess.run(["bash", str(SCRIPT)], env={**base, **env}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def fake(tmp_path, name: str, body: str) -> str:
    p = tmp_path / name
    p.write_text(f"#!/bin/sh\n{body}\n")
    p.chmod(0o755)
    return str(p)


def test_an_explicit_python_wins(tmp_path):
    assert pick(tmp_path, PYTHON="/opt/my/python", SYSTEM_PYTHON=sys.executable) == "/opt/my/python"


def test_the_system_python_when_it_is_3_11_with_venv(tmp_path):
    assert pick(tmp_path, SYSTEM_PYTHON=sys.executable) == sys.executable  # this one runs the tests: 3.11+


def test_python3_on_path_when_the_system_one_cannot_make_a_venv(tmp_path):
    # the check's exit status is all the script reads: 1 is what an old Python or one without ensurepip gives
    too_old = fake(tmp_path, "python-old", 'exec python3 -c "import sys; sys.exit(1)"')
    assert pick(tmp_path, SYSTEM_PYTHON=too_old) == "python3"
    assert pick(tmp_path, SYSTEM_PYTHON=str(tmp_path / "absent")) == "python3"


def test_the_version_check_itself_refuses_3_10(tmp_path):
    # a stand-in that reports 3.10 to the script's own check (it runs the check's code with the version swapped)
    old = fake(tmp_path, "python3.10", f'exec {sys.executable} -c "import sys; sys.version_info = (3, 10, 0); exec(sys.argv[1])" "$2"')
    assert pick(tmp_path, SYSTEM_PYTHON=old) == "python3"
    new = fake(tmp_path, "python3.12", f'exec {sys.executable} -c "import sys; sys.version_info = (3, 12, 0); exec(sys.argv[1])" "$2"')
    assert pick(tmp_path, SYSTEM_PYTHON=new) == new


def test_a_python_without_ensurepip_cannot_make_a_venv(tmp_path):
    # Debian ships ensurepip in python3-venv: without it `python3 -m venv` fails, so the script's check imports it
    no_pip = fake(tmp_path, "python-nopip", f'exec {sys.executable} -c "import sys; sys.modules[\'ensurepip\'] = None; exec(sys.argv[1])" "$2"')
    assert pick(tmp_path, SYSTEM_PYTHON=no_pip) == "python3"
