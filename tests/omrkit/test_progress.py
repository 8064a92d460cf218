"""Tests for omrkit._progress: the command line's text progress bar."""

from __future__ import annotations

import io

import pytest

from omrkit._progress import BAR_WIDTH, LOG_STEP, ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_gets_a_line_per_step() -> None:
    """Written to a log, the bar adds a line for the first item and one per tenth of the work."""
    stream = io.StringIO()
    total = 50
    with ProgressBar("synth", total=total, stream=stream) as bar:
        for done in range(1, total + 1):
            bar.update(done, total)
    lines = stream.getvalue().splitlines()
    assert len(lines) == round(1 / LOG_STEP) + 1
    assert lines[-1].startswith(f"synth [{'#' * BAR_WIDTH}] {total}/{total} 100 %")


def test_terminal_redraws_in_place() -> None:
    """On a terminal the bar redraws with a carriage return and ends its line on close."""
    stream = _Terminal()
    with ProgressBar("read", total=3, stream=stream) as bar:
        bar.update(3, 3)
    text = stream.getvalue()
    assert text.startswith("\rread [")
    assert text.endswith("\n")
    assert "3/3" in text


def test_disabled_bar_is_silent() -> None:
    """A disabled bar writes nothing but still records progress."""
    stream = _Terminal()
    with ProgressBar("synth", total=4, enabled=False, stream=stream) as bar:
        bar.update(2, 4)
    assert stream.getvalue() == ""
    assert bar.done == 2


def test_render_shows_share_and_rate() -> None:
    """The text has the count, the percentage, a rate and an estimate of the time left."""
    bar = ProgressBar("synth", total=200, stream=io.StringIO())
    bar.done = 50
    text = bar.render()
    assert " 50/200  25 %" in text
    assert "/s" in text
    assert "ETA" in text
    assert text.count("#") == BAR_WIDTH // 4


def test_negative_total_is_refused() -> None:
    """A negative total is a programming error."""
    with pytest.raises(ValueError, match="total"):
        ProgressBar("synth", total=-1)
