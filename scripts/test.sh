#!/usr/bin/env bash
# Set up, then run the gates and the whole test suite: ruff (lint and format)
# over every Python file of the repository, mypy --strict over everything that
# is packaged, and pytest. Every gate runs even when an earlier one fails, so
# one run reports everything; the script fails if any gate failed. pytest's
# exit code 5 ("no tests collected") is a failure here: a suite that runs
# nothing proves nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

LINTED=(src tests benchmarks sheet_layouts calibration scripts)
failed=()

.venv/bin/python -m ruff check "${LINTED[@]}" || failed+=("ruff check")
.venv/bin/python -m ruff format --check "${LINTED[@]}" || failed+=("ruff format --check")
# Strict, over the files pyproject names: src, sheet_layouts and calibration.
.venv/bin/python -m mypy || failed+=("mypy --strict")

.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  failed+=("pytest (no tests collected)")
elif [ "$rc" -ne 0 ]; then
  failed+=("pytest")
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf 'failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
