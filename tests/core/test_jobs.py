from __future__ import annotations

import threading

import pytest

from core.errors import Cancelled, MusicMatchError
from core.jobs import CancelToken, report, scaled_progress, throttled_progress


def test_cancel_token_raises_only_after_cancel():
    token = CancelToken()
    token.raise_if_cancelled()
    assert not token.cancelled
    threading.Thread(target=token.cancel).start()
    for _ in range(1000):
        if token.cancelled:
            break
    with pytest.raises(Cancelled):
        token.raise_if_cancelled()
    assert issubclass(Cancelled, MusicMatchError)


def test_report_clips_and_ignores_missing_callback():
    seen = []
    report(None, 0.5, "nothing happens")
    report(lambda f, m: seen.append((f, m)), 1.7, "done")
    report(lambda f, m: seen.append((f, m)), -1, "start")
    assert seen == [(1.0, "done"), (0.0, "start")]


def test_scaled_progress_maps_into_a_sub_range():
    seen = []
    sub = scaled_progress(lambda f, m: seen.append(round(f, 6)), 0.2, 0.6)
    for fraction in (0.0, 0.5, 1.0, 2.0):
        sub(fraction, "x")
    assert seen == [0.2, 0.4, 0.6, 0.6]
    assert scaled_progress(None, 0, 1) is None


def test_throttled_progress_limits_rate_but_keeps_the_end():
    now = [0.0]
    seen = []
    throttled = throttled_progress(lambda f, m: seen.append(f), per_second=10, clock=lambda: now[0])
    for step in range(100):  # 100 reports over 1 simulated second
        now[0] = step * 0.01
        throttled(step / 100, "working")
    throttled(1.0, "done")
    assert 9 <= len(seen) <= 12
    assert seen[0] == 0.0 and seen[-1] == 1.0
