#!/usr/bin/env bash
# Set up everything the briefing needs, idempotently:
#   1. system packages: Arabic fonts (Noto Naskh Arabic, Amiri), poppler-utils
#      and Chromium (browser tests), via apt-get where we are allowed to;
#   2. a virtual environment at .venv/ with the pinned packages of requirements.lock, on the
#      distribution's Python when it is 3.11 or later (faster; scripts/pick-python.sh), else on python3.
# Re-running is fast: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="fonts-noto-core fonts-hosny-amiri poppler-utils chromium python3-venv"
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  if command -v apt-get >/dev/null && { [ -z "$SUDO" ] || $SUDO true 2>/dev/null; }; then
    echo "setup: installing system packages:$missing" >&2
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  else
    echo "setup: cannot install$missing (no apt-get or no root); the PDF falls back to DejaVu Sans, browser tests are skipped, and without python3-venv .venv is built on python3 from PATH" >&2
  fi
fi

PY=$(bash scripts/pick-python.sh)
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])')" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages from requirements.lock" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi
