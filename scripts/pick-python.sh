#!/usr/bin/env bash
# Print the Python that .venv/ is built on: $PYTHON if set, else the distribution's own
# ($SYSTEM_PYTHON, default /usr/bin/python3) when it is 3.11 or later and can make a venv, else
# python3 on PATH.  Debian links its Python statically and (per its packaging) builds it with
# profile-guided optimisation; the coder takes about 0.92 of the CPU it takes on a Python built with pyenv's
# defaults (README, "The interpreter").
set -euo pipefail
if [ -n "${PYTHON:-}" ]; then
  echo "$PYTHON"
  exit 0
fi
system=${SYSTEM_PYTHON:-/usr/bin/python3}
if [ -x "$system" ] && "$system" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "$system"
else
  echo python3
fi
