#!/usr/bin/env bash
# Set up (if needed) and render the briefing to _output/report.html and _output/report.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m analysis render "$@"
