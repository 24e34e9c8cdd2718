"""Print pyproject.toml's pinned dependency lists from requirements.lock and the installed metadata.

    .venv/bin/python scripts/pins.py     # paste the two lists into [project] dependencies and the test extra

Each direct dependency and everything it needs (walked through the installed packages' metadata, with the
platform markers they declare) is pinned to its requirements.lock version, so a pip install outside the
checkout gets the stack the tests ran on.  tests/test_install.py checks that the pins and the lock agree.
"""
from __future__ import annotations

import importlib.metadata as md
import re
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock() -> dict[str, tuple[str, str]]:
    out = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            out[norm(name)] = (name.strip(), version.strip())
    return out


def closure(requirements: list[str]) -> dict[str, str | None]:
    """name -> the marker it needs (None: always), over everything the requirements pull in."""
    env, marks, seen = default_environment(), {}, set()
    todo = [(Requirement(r), None) for r in requirements]
    while todo:
        req, mark = todo.pop()
        name = norm(req.name)
        marks[name] = None if mark is None or marks.get(name, "") is None else mark
        key = (name, tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        for text in md.distribution(name).requires or []:
            sub = Requirement(text)
            own = None
            if sub.marker:
                if not any(sub.marker.evaluate({**env, "extra": e}) for e in (req.extras or {""})):
                    continue
                own = None if "extra" in str(sub.marker) else str(sub.marker).replace('"', "'")
            todo.append((sub, own if mark is None else mark))
    return marks


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = lock()
    direct = [Requirement(r) for r in project["dependencies"]]
    runtime = closure([str(r) for r in direct])

    def line(name: str, mark: str | None, extras: str = "") -> str:
        real, version = pins[name]
        return f'    "{real}{extras}=={version}' + (f"; {mark}" if mark else "") + '",'

    print("dependencies = [")
    for r in direct:
        print(line(norm(r.name), None, f"[{','.join(sorted(r.extras))}]" if r.extras else ""))
    print("    # what they need, at the versions tested (requirements.lock)")
    for name in sorted(set(runtime) - {norm(r.name) for r in direct}):
        print(line(name, runtime[name]))
    print("]\ntest = [")
    test = closure(project["optional-dependencies"]["test"])
    for name in sorted(set(test) - set(runtime)):
        print(line(name, test[name]))
    print("]")


if __name__ == "__main__":
    main()
