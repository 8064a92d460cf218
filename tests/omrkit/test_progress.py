"""Tests for omrkit._progress: the command line's progress bar, drawn by tqdm."""

from __future__ import annotations

import io

import pytest

from omrkit._progress import ProgressBar


def test_bar_reports_the_running_count() -> None:
    """Running counts from a batch become the bar's count and total, shown when it closes."""
    stream = io.StringIO()
    total = 50
    with ProgressBar("synth", total=total, stream=stream) as bar:
        for done in range(1, total + 1):
            bar.update(done, total)
    text = stream.getvalue()
    assert "synth" in text
    assert f"{total}/{total}" in text
    assert bar.done == total


def test_update_may_correct_the_total() -> None:
    """A batch that learns its true size mid-way moves the bar's total with it."""
    stream = io.StringIO()
    with ProgressBar("read", total=3, stream=stream) as bar:
        bar.update(2, 5)
        bar.update(5, 5)
    assert "5/5" in stream.getvalue()


def test_disabled_bar_is_silent() -> None:
    """A disabled bar writes nothing but still records progress."""
    stream = io.StringIO()
    with ProgressBar("synth", total=4, enabled=False, stream=stream) as bar:
        bar.update(2, 4)
    assert stream.getvalue() == ""
    assert bar.done == 2


def test_negative_total_is_refused() -> None:
    """A negative total is the caller's error."""
    with pytest.raises(ValueError, match="total"):
        ProgressBar("x", total=-1)
