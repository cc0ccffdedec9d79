"""Audition: play a library track alone, or with the picture from its section, and A/B between tracks.

:class:`AuditionCommands` is a collaborator of the main window, not part of it: it is
given, when made, everything it works with (the player, the video panel, the track view,
the job runner, the open session and library, a status line), so what it touches is
visible at its one construction site and it can be built around fakes in a test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from musicmatch_gui.actions import translate
from musicmatch_gui.audio import PLAYBACK_RATE, AudioUnavailable
from musicmatch_gui.widgets.video_panel import timecode

if TYPE_CHECKING:
    from musicmatch_gui.audio import Player
    from musicmatch_gui.jobs import JobRunner
    from musicmatch_gui.state import Library, Session
    from musicmatch_gui.widgets.track_view import TrackView
    from musicmatch_gui.widgets.video_panel import VideoPanel

__all__ = ["AuditionCommands"]


class AuditionCommands:
    """Decode a track in a job, then play it on ``player``; alone, or with the clip's picture.

    Parameters
    ----------
    player
        The audio player (:class:`musicmatch_gui.audio.Player`).
    video
        The clip's panel: its playhead (``position_s``), frame rate and media player.
    track_view
        Shows the playhead inside the selected track while it plays.
    jobs
        Runs the decodes (kind ``"audition"``: a newer request cancels an older one).
    session, library
        Return the open session and library (both are replaced when a clip or library opens).
    selected_row, select_row
        The library row selected in the ranked list (None without one), and a way to select one.
    status, failed
        Show a status line ``(text, ms)``; report an exception (dialog or one line).
    """

    def __init__(self, *, player: Player, video: VideoPanel, track_view: TrackView, jobs: JobRunner,
                 session: Callable[[], Session], library: Callable[[], Library | None],
                 selected_row: Callable[[], int | None], select_row: Callable[[int], None],
                 status: Callable[..., None], failed: Callable[[BaseException], None],
                 clear_status: Callable[[], None]) -> None:
        self.player = player
        self.video = video
        self.track_view = track_view
        self.jobs = jobs
        self._session, self._library = session, library
        self._selected_row, self._select_row = selected_row, select_row
        self._status, self._failed, self._clear_status = status, failed, clear_status
        self.row: int | None = None
        """The library row playing (or last played), None before any."""
        self.with_picture = False
        """Whether the last start played the clip's picture along."""
        self._track_time: Callable[[float], float] = lambda t: t
        """Player time -> time inside the track (a fit's output time maps through its segments)."""

    # -- commands ------------------------------------------------------------------------------

    def audition_selected(self) -> None:
        """Play the selected track from its start (Enter)."""
        row = self._selected_row()
        if row is not None:
            self.start(row, keep_position=False)

    def play_with_picture(self) -> None:
        """Play the clip from its playhead with the selected track from its section (Ctrl+Enter)."""
        row = self._selected_row()
        if row is None:
            self._status(translate("MainWindow", "Select a track to play with the picture"))
            return
        self.start(row, keep_position=True, with_picture=True)

    def audition_library_row(self, row: int) -> None:
        """Select ``row`` in the ranked list and audition it from the start (a pick's double-click)."""
        self._select_row(row)
        self.audition_selected()

    def track_start(self, row: int, clip_position_s: float) -> float:
        """Track time that plays under the clip's ``clip_position_s``: section start + clip position.

        Without a section (no clip analysed, no timing data) the track plays in step with the
        clip from its own start, as before sections existed.
        """
        section = self._session().section_of(row)
        start = section[0] if section is not None else 0.0
        return float(start) + max(0.0, float(clip_position_s))

    def start(self, row: int, *, keep_position: bool, with_picture: bool = False) -> None:
        """Decode library ``row`` in a job and play it.

        ``keep_position`` (A/B, with picture) starts it where the clip's playhead is in the
        track's section; otherwise from the track's start.
        """
        library = self._library()
        assert library is not None
        track = library.tracks[row]
        fit = self.fit_of(row) if with_picture else None
        if fit is not None:
            self._start_fit(row, track.title, *fit)
            return
        clip_at = self.video.position_s
        start = self.track_start(row, clip_at) if (keep_position or with_picture) else 0.0

        def decode(progress, cancel):
            from musicmatch_gui.audio import decode_for_audition

            return decode_for_audition(track.path, cancel=cancel)

        def ready(decoded) -> None:
            samples, rate = decoded
            if not self._play(samples, rate, track.title, row, start, with_picture, lambda t: t):
                return
            self._status(translate("MainWindow", "Auditioning {title} from {time}").format(
                title=track.title, time=timecode(start, self.video.fps)), 0)

        # kind="audition": a newer request cancels this decode and drops its result, so two
        # tracks clicked in quick succession never play in the wrong order.
        self.jobs.start(translate("MainWindow", "Loading {title}").format(title=track.title), decode,
                        on_success=ready, on_failure=self._failed, kind="audition")

    def fit_of(self, row: int) -> tuple[str, float, list[list[float]]] | None:
        """The fit of library ``row`` to the open clip whose file still exists: ``(wav, track in, edits)``.

        A picked track's fit is the pick's own (``rendered_path``, saved in the project, so it
        is there again when the project reopens); else one rendered this session. None when
        there is none, or its file is gone.
        """
        from pathlib import Path

        session = self._session()
        pick = session.picks.get(row)
        if pick is not None and pick.rendered_path:
            found = (pick.rendered_path, float(pick.track_in_s), pick.edits)
        elif row in session.fits:
            section = session.section_of(row)
            rendered, edits = session.fits[row]
            found = (rendered, float(section[0]) if section is not None else 0.0, edits)
        else:
            return None
        return found if found[0] and Path(found[0]).is_file() else None

    def _start_fit(self, row: int, title: str, rendered: str, track_in_s: float, edits: list[list[float]]) -> None:
        """Decode a saved fit in a job and play it with the picture (as right after Fit to clip)."""
        def decode(progress, cancel):
            from musicmatch_gui.audio import decode_for_audition

            return decode_for_audition(rendered, cancel=cancel)

        def ready(decoded) -> None:
            samples, _rate = decoded  # always PLAYBACK_RATE
            segments = _fit_segments(track_in_s, edits, len(samples) / PLAYBACK_RATE)
            if self.play_fit(row, samples, title, segments):
                self._status(translate("MainWindow", "Auditioning {title} from {time}").format(
                    title=title, time=timecode(self.video.position_s, self.video.fps)), 0)

        self.jobs.start(translate("MainWindow", "Loading {title}").format(title=title), decode,
                        on_success=ready, on_failure=self._failed, kind="audition")

    def play_fit(self, row: int, samples: np.ndarray, title: str, segments: list[tuple[float, float]]) -> bool:
        """Play a fit rendered at :data:`PLAYBACK_RATE` with the picture, from the clip's playhead.

        The fit lasts exactly the clip, so output time is clip time; ``segments`` (the
        plan's track spans in output order) map it back to track time for the track view's
        playhead. Returns False when there is no audio device (said in the status bar).
        """
        clip_at = self.video.position_s
        if clip_at >= len(samples) / PLAYBACK_RATE - 0.05:
            clip_at = 0.0  # the playhead at the clip's end: hear the fit from its start
            self.video.player.setPosition(0)
        return self._play(samples, PLAYBACK_RATE, title, row, clip_at, True, _segment_map(segments))

    def _play(self, samples, rate, title: str, row: int, start: float, with_picture: bool, track_time) -> bool:
        self.player.load(samples, title, rate=rate)
        self.row, self.with_picture, self._track_time = row, with_picture, track_time
        try:
            self.player.play(start)
        except AudioUnavailable as exc:
            self._status(translate("MainWindow", "Cannot audition: {reason}").format(reason=exc))
            return False
        if with_picture:
            self.video.player.play()
        return True

    def follow_selection(self, row: int | None) -> None:
        """A/B: while a track plays, selecting another plays that one at the same place in the clip."""
        if self.player.playing and self.row is not None and row is not None and row != self.row:
            self.start(row, keep_position=True, with_picture=self.with_picture)

    def stop_all(self) -> None:
        """Stop the audition and the picture, and any decode under way (Escape)."""
        for job in self.jobs.running():
            if job.kind == "audition":
                job.superseded = True
                job.cancel()
        was_playing = self.player.playing
        self.player.stop()
        self.video.player.pause()
        self.track_view.set_position(-1.0)
        if was_playing:
            self._clear_status()
            self._status(translate("MainWindow", "Stopped"), 2000)

    def update_meter(self, meter, track_position) -> None:
        """Follow playback: the level meter, the position slider and the track view's playhead."""
        meter.setValue(int(min(1.0, self.player.level * 3) * 100))
        track_position.setMaximum(int(self.player.duration_s * 1000))
        if not track_position.isSliderDown():
            track_position.setValue(int(self.player.position_s * 1000))
        if self.player.playing and self.row is not None and self.row == self._selected_row():
            self.track_view.set_position(self._track_time(self.player.position_s))
        elif self.track_view.position >= 0:
            self.track_view.set_position(-1.0)


def _segment_map(segments: list[tuple[float, float]]) -> Callable[[float], float]:
    """Output time of a fit -> track time, walking its segments ``[(from_s, to_s), ...]`` in order."""
    spans = [(float(a), float(b)) for a, b in segments if b > a]

    def track_time(t: float) -> float:
        elapsed = 0.0
        for begin, end in spans:
            if t < elapsed + (end - begin):
                return begin + (t - elapsed)
            elapsed += end - begin
        # The tail: the music beyond the last segment under the fade-out.
        return spans[-1][1] + (t - elapsed) if spans else t

    return track_time


def _fit_segments(track_in_s: float, edits: list[list[float]], length_s: float) -> list[tuple[float, float]]:
    """A saved fit's track spans in output order, from its start in the track and its edits.

    Each edit ``[at_s, from_s, to_s]`` leaves the track at ``from_s`` and resumes at ``to_s``;
    the last span runs on to the fit's length ``length_s``.
    """
    segments, current, elapsed = [], float(track_in_s), 0.0
    for _at, leave, back in sorted((list(map(float, e)) for e in edits), key=lambda e: e[0]):
        segments.append((current, leave))
        elapsed += max(0.0, leave - current)
        current = back
    segments.append((current, current + max(0.0, float(length_s) - elapsed)))
    return segments
