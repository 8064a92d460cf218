#!/usr/bin/env bash
# Set up, then run the main job end to end on bundled sample data: render the
# bundled layouts, simulate a batch of filled and scanned sheets, read them back.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/omrkit demo --out demo-output "$@"
