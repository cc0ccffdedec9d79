"""Fit to length: which bars to repeat or skip so the music lasts exactly as long as the clip.

The music is never time-stretched. It plays the track from the section start; where
the track is too short it repeats whole bars (a *loop*: a jump back between two
similar-sounding downbeats, taken ``n`` times), where it is too long it skips whole
bars (a jump forward), and it ends on a phrase boundary ``p`` reached ``r`` seconds
before the end (0 <= r <= 2) under a fade-out of ``max(r, 0.5)`` seconds (so the last
phrase lands as the music fades), or on the track's own end followed by at most 2 s of
silence. With jumps of shifts ``d`` (``to - from``; negative repeats) the plan satisfies

    (p - start) - sum(d) + r = length

exactly, ``r`` taking up what whole bars cannot. Plans with one loop jump used ``n``
times and at most one more jump are enumerated for every ending, and the cheapest wins:

    cost = 0.5 * sum(1 - similarity) + 0.05 * jumps + 0.05 * |r - 1|
           + 0.3 * (1 - first jump's output time / length) + ending penalty

(ending penalty: 0 for a phrase, 0.05 for the track's own end, 0.15 for a plain bar,
0.6 for anywhere). The term on the first jump keeps the chosen section playing unedited for
as long as it can. A track without a beat uses its quiet-moment edit points and may
end anywhere with a 2 s fade; the plan says so in its notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError
from core.timing.grid import TrackTiming

__all__ = ["MAX_LENGTH_S", "MIN_LENGTH_S", "Edit", "FitPlan", "check_fittable", "plan_fit"]

MIN_LENGTH_S = 3.0
"""Shortest length ``fit`` makes, seconds."""
MAX_LENGTH_S = 600.0
"""Longest length ``fit`` makes (10 minutes)."""
BEAT_CROSSFADE_S = 0.03
"""Equal-power crossfade at an edit on the beat (at least the 10 ms the contract asks)."""
FREE_CROSSFADE_S = 0.25
"""Crossfade at an edit of a track without a beat (quiet points blend more slowly)."""
MAX_FADE_S = 2.0
"""Longest fade-out at the end."""
_MIN_FADE_S = 0.5
_FIRST_JUMP_WEIGHT = 0.3
_MIN_SIMILARITY = 0.6
_LOOPS_TRIED = 12
_ENDING_PENALTY = {"phrase": 0.0, "track end": 0.05, "bar": 0.15, "anywhere": 0.6}


@dataclass(frozen=True)
class Edit:
    """One jump of the rendered music."""

    at_s: float
    """Output time of the jump, seconds."""
    from_s: float
    """Track time it leaves."""
    to_s: float
    """Track time it resumes at."""
    similarity: float
    """How alike the music around the two points sounds, 0..1."""

    def to_json(self) -> dict:
        return {"at_s": round(self.at_s, 6), "from_s": round(self.from_s, 6), "to_s": round(self.to_s, 6)}


@dataclass(frozen=True)
class FitPlan:
    """How to play a track so it lasts ``length_s``."""

    length_s: float
    """Output length, seconds."""
    segments: list[tuple[float, float]]
    """Track spans ``(from_s, to_s)`` played one after the other, the last one up to the ending."""
    edits: list[Edit]
    """The jumps between the segments."""
    ending: str
    """``"phrase"``, ``"track end"``, ``"bar"`` or ``"anywhere"``."""
    tail_s: float
    """Output seconds after the last segment: the music beyond the ending under the fade-out
    (or silence after the track's own end)."""
    fade_s: float
    """Length of the final fade-out, seconds (at most 2)."""
    crossfade_s: float
    """Equal-power crossfade at each edit, seconds."""
    notes: list[str] = field(default_factory=list)
    """Anything the editor should know (fallbacks taken)."""


def _check_length(length_s: float) -> float:
    try:
        value = float(length_s)
    except (TypeError, ValueError):
        raise InputError(f"length must be a number of seconds, got {length_s!r}") from None
    if not np.isfinite(value):
        raise InputError(f"length must be a finite number of seconds, got {length_s}")
    if value <= 0:
        raise InputError(f"length must be positive, got {value:g} s")
    if not MIN_LENGTH_S <= value <= MAX_LENGTH_S:
        raise InputError(f"length {value:g} s is outside {MIN_LENGTH_S:g} s .. {MAX_LENGTH_S:g} s (10 minutes)")
    return value


def check_fittable(track: TrackTiming, *, refuse_silence: bool = False) -> None:
    """Refuse a track that cannot be fitted to any length (called before the clip is analysed).

    ``refuse_silence`` also refuses a track that is silent throughout (every 0.5 s
    block below :data:`core.timing.grid.SILENT_DB`): ``fit`` has no music to place there, while the
    planner itself still plans such a track (silence repeated) for callers that must
    always get a plan.

    Raises
    ------
    InputError
        The track is shorter than one bar (2 s without a beat), or silent when refused.
    """
    duration = float(track.duration_s)
    bar = track.bar_s if track.has_beat else 2.0
    if duration < bar or duration <= 0:
        raise InputError(f"the track is {duration:.2f} s long, shorter than one bar ({bar:.2f} s): "
                         "too short to fit to a length")
    # An empty energy curve means "not stored" (a library row from before timing data), not silence.
    if refuse_silence and track.is_silent:
        raise InputError("the track is silent throughout: there is no music to fit")


def plan_fit(track: TrackTiming, start_s: float, length_s: float) -> FitPlan:
    """Plan the edits that make ``track`` from ``start_s`` last exactly ``length_s``.

    Raises
    ------
    InputError
        ``length_s`` is not a number from 3 s to 10 minutes, or the track is too short
        to repeat (shorter than one bar).
    """
    length = _check_length(length_s)
    check_fittable(track)
    duration = float(track.duration_s)
    beat = track.has_beat
    bar = track.bar_s if beat else 2.0
    start = float(np.clip(start_s, 0.0, max(0.0, duration - min(bar, duration))))
    notes: list[str] = []
    edits = np.asarray(track.edit_points, dtype=np.float64).reshape(-1, 3)
    edits = edits[(edits[:, 2] >= _MIN_SIMILARITY)] if edits.size else edits
    min_segment = bar if beat else 1.0
    crossfade = BEAT_CROSSFADE_S if beat else FREE_CROSSFADE_S
    if not beat:
        notes.append("the track has no steady beat: edits join quiet moments and ignore bars and phrases")
    endings = _endings(track, start, bar / 4.0 if beat else 1.0, beat)
    plan = _search(edits, endings, start, length, min_segment, duration)
    if plan is None:
        # Nothing similar enough to loop on: repeat the whole playable span from its last bar.
        fallback = _whole_loop(track, start, duration, bar, beat)
        if fallback is not None:
            notes.append("no similar-sounding bars to loop on: repeats the section from its last bar")
            plan = _search(np.vstack([edits, fallback]) if edits.size else fallback, endings, start, length,
                           min_segment, duration)
    if plan is None:
        raise InputError("could not fit the track to the length (no way to repeat it); try another track")
    segments, chosen_edits, ending, tail = plan
    if ending in ("bar", "anywhere") and beat:
        notes.append("ends on a bar line: no phrase end fits the length without more edits" if ending == "bar"
                     else "no bar or phrase end fits the length: ends on a fade-out")
    if ending == "track end":
        fade = 0.0  # the track's own ending, then silence
    elif ending == "anywhere":
        fade = float(min(MAX_FADE_S, length / 4.0))
    else:
        fade = float(min(MAX_FADE_S, max(tail, _MIN_FADE_S), length / 2.0))
    return FitPlan(length_s=length, segments=segments, edits=chosen_edits, ending=ending, tail_s=tail,
                   fade_s=fade, crossfade_s=crossfade, notes=notes)


def _endings(track: TrackTiming, start: float, min_segment: float, beat: bool) -> list[tuple[float, str]]:
    """Candidate ending points ``(track time, kind)``."""
    endings: list[tuple[float, str]] = []
    earliest = start + min_segment
    if beat:
        endings += [(float(p), "phrase") for p in track.phrases if p >= earliest]
        phrase_set = {round(float(p), 4) for p in track.phrases}
        endings += [(float(b), "bar") for b in track.bars if b >= earliest and round(float(b), 4) not in phrase_set]
    endings.append((float(track.duration_s), "track end"))
    return endings


def _whole_loop(track: TrackTiming, start: float, duration: float, bar: float, beat: bool) -> np.ndarray | None:
    """A jump from the last bar (or the last quiet point) back to the section start."""
    if beat and track.bars.size:
        bars = track.bars[track.bars > start + bar - 1e-6]
        if bars.size == 0:
            return None
        # The last bar line before the end of the file.
        usable = bars[bars <= duration - 0.01]
        return np.array([[float(usable[-1]), start, 0.0]]) if usable.size else None
    end = duration - FREE_CROSSFADE_S
    return np.array([[end, start, 0.0]]) if end - start >= 1.0 else None


def _search(edits: np.ndarray, endings: list[tuple[float, str]], start: float, length: float,
            min_segment: float, duration: float):
    """The cheapest plan (see the module docstring), or ``None``."""
    n_edits = edits.shape[0]
    if n_edits:
        shift = edits[:, 1] - edits[:, 0]
        backward = np.flatnonzero((shift <= -min_segment + 1e-6) & (edits[:, 0] >= start + min_segment - 1e-6))
        # Longer, more similar loops first: fewer repeats, less audible.
        ranked = backward[np.lexsort((shift[backward], -edits[backward, 2]))][:_LOOPS_TRIED]
    else:
        ranked = np.zeros(0, dtype=np.int64)
    loops = [None, *[int(i) for i in ranked]]
    best = None
    # Every ending at once (rows), every extra jump at once (columns) for each loop.
    times = np.array([t for t, _ in endings], dtype=np.float64)[:, None]
    kinds = [k for _, k in endings]
    track_end = np.array([k == "track end" for k in kinds])[:, None]
    tail_hi = np.where(track_end, MAX_FADE_S, np.minimum(MAX_FADE_S, duration - times))
    penalty = np.array([_ENDING_PENALTY[k] for k in kinds])[:, None]
    for loop in loops:
        found = _solve(edits, loop, start, times, length, tail_hi, penalty, track_end, min_segment)
        if found is not None and (best is None or found[0] < best[0] - 1e-12):
            cost, segments, used, tail, row = found
            best = (cost, segments, used, tail, kinds[row])
    if best is None:
        # Last resort: play on, looping where needed, and stop wherever the length runs out.
        for loop in loops:
            found = _solve_anywhere(edits, loop, start, length, duration, min_segment)
            if found is not None:
                segments, used = found
                cost = _cost(edits, used, segments, 0.0, "anywhere", length)
                if best is None or cost < best[0]:
                    best = (cost, segments, used, 0.0, "anywhere")
    if best is None:
        return None
    _, segments, used, tail, kind = best
    return segments, _edits_of(segments, used, edits), kind, tail


def _solve(edits, loop, start, ending, length, tail_hi, penalty, track_end, min_segment):
    """The cheapest plan with one loop jump (taken n times), at most one more jump and any ending.

    ``ending``, ``tail_hi``, ``penalty`` and ``track_end`` are columns, one row per
    ending; every possible extra jump is a column of the broadcast arrays. Returns
    ``(cost, segments, used edit rows, tail, ending row)`` or ``None``.
    """
    n_edits = edits.shape[0]
    tail_lo = 0.0
    # Column 0 is "no extra jump"; columns 1.. are the edit rows.
    leave_x = np.r_[np.nan, edits[:, 0]][None, :] if n_edits else np.array([[np.nan]])
    resume_x = np.r_[np.nan, edits[:, 1]][None, :] if n_edits else np.array([[np.nan]])
    d_extra = np.nan_to_num(resume_x - leave_x)
    similarity_x = np.r_[1.0, edits[:, 2]][None, :] if n_edits else np.array([[1.0]])
    base = (ending - start) - d_extra
    has_extra = (np.arange(leave_x.shape[1]) > 0)[None, :]
    if loop is None:
        d_loop, n = 0.0, np.zeros(base.shape)
        position = start
        ok = np.ones(base.shape, bool)
    else:
        leave_l, back_l = float(edits[loop, 0]), float(edits[loop, 1])
        d_loop = back_l - leave_l
        if leave_l - start < min_segment - 1e-6:
            return None
        # n d_loop must lie in [base + tail_lo - length, base + tail_hi - length]; d_loop < 0.
        n = np.ceil(np.maximum((base + tail_hi - length) / d_loop, 1.0) - 1e-9)
        ok = n <= (base + tail_lo - length) / d_loop + 1e-9
        position = back_l
    tail = length - (base - n * d_loop)
    ok &= (tail >= tail_lo - 1e-9) & (tail <= tail_hi + 1e-9)
    ok &= ~has_extra | (leave_x - position >= min_segment - 1e-6)
    final_from = np.where(has_extra, resume_x, position)
    # The last segment only plays on to the ending: a beat is enough there.
    ok &= ending - final_from >= min_segment / 4.0 - 1e-6
    ok &= n <= 100_000
    if not ok.any():
        return None
    if loop is None:
        first_at = np.where(has_extra, leave_x - start, length)
        loop_cost = 0.0
    else:
        first_at = float(edits[loop, 0]) - start
        loop_cost = 0.5 * (1.0 - float(edits[loop, 2]))
    jumps = n + has_extra
    cost = (penalty + n * loop_cost + 0.5 * (1.0 - similarity_x) * has_extra + 0.05 * jumps
            + np.where(track_end, 0.0, 0.05 * np.abs(tail - 1.0))
            + _FIRST_JUMP_WEIGHT * np.where(jumps > 0, 1.0 - np.clip(first_at, 0.0, length) / length, 0.0))
    cost = np.where(ok, cost, np.inf)
    row, pick = np.unravel_index(int(np.argmin(cost)), cost.shape)
    count = int(n[row, pick])
    segments: list[tuple[float, float]] = []
    used: list[int] = []
    current = start
    if count:
        leave_l, back_l = float(edits[loop, 0]), float(edits[loop, 1])
        segments.append((current, leave_l))
        segments.extend([(back_l, leave_l)] * (count - 1))
        used.extend([loop] * count)
        current = back_l
    if pick > 0:
        segments.append((current, float(leave_x[0, pick])))
        used.append(int(pick) - 1)
        current = float(resume_x[0, pick])
    segments.append((current, float(ending[row, 0])))
    return float(cost[row, pick]), segments, used, float(max(0.0, tail[row, pick])), int(row)


def _solve_anywhere(edits, loop, start, length, duration, min_segment):
    """Loop ``n`` times and stop wherever the length runs out (fade-out of up to 2 s)."""
    if loop is None:
        if duration - start >= length:
            return [(start, start + length)], []
        return None
    leave, back = float(edits[loop, 0]), float(edits[loop, 1])
    if leave - start < min_segment - 1e-6:
        return None
    segments = [(start, leave)]
    used = [loop]
    total = leave - start
    while True:
        # After a jump back, the rest of the track runs from ``back`` to the end.
        if total + (duration - back) >= length:
            segments.append((back, back + (length - total)))
            return segments, used
        segments.append((back, leave))
        used.append(loop)
        total += leave - back
        if len(used) > 10_000:
            return None


def _cost(edits: np.ndarray, used: list[int], segments, tail: float, kind: str, length: float) -> float:
    """The plan cost of the module docstring for a finished plan."""
    similarity = sum(1.0 - float(edits[i, 2]) for i in used)
    first_at = segments[0][1] - segments[0][0] if used else length
    return (_ENDING_PENALTY[kind] + 0.5 * similarity + 0.05 * len(used)
            + (0.05 * abs(tail - 1.0) if kind not in ("track end", "anywhere") else 0.0)
            + (_FIRST_JUMP_WEIGHT * (1.0 - min(first_at, length) / length) if used else 0.0))


def _edits_of(segments: list[tuple[float, float]], used: list[int], edits: np.ndarray) -> list[Edit]:
    out = []
    at = 0.0
    for (begin, leave), (resume, _), index in zip(segments[:-1], segments[1:], used, strict=True):
        at += leave - begin
        out.append(Edit(at_s=at, from_s=leave, to_s=resume, similarity=float(edits[index, 2])))
    return out
