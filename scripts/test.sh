#!/usr/bin/env bash
# Set up (if needed), lint (ruff: pyflakes, bugbear, import order, complexity ≤ 15; config in
# pyproject.toml), then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check analysis tests benchmarks scripts
exec .venv/bin/python -m pytest "$@"
