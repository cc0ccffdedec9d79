"""Timing in the window: each listed track's best section, moving it, and "Fit to clip".

:class:`TimingCommands` is a collaborator of the main window, given everything it uses
when it is made (the results model, the track view, the timeline strip, the undo stack,
the job runner, the audition commands, the open session and library). It keeps what the
list shows of each track's timing for the open clip:

* the track's :class:`~core.timing.grid.TrackTiming`, made from its library record the
  first time the row is looked at (a million-row library never builds the rest);
* its best section (:func:`core.timing.section.best_sections`), found in a job for the
  listed rows after each ranking and for any other row the list shows (a millisecond or
  two a track, too much to add to every slider move on the GUI thread), and at once for
  the selected track;
* whether it covers the clip, from the library's durations, which the ranking uses to
  put tracks shorter than the clip after all that cover it (:func:`core.pipeline.rank_tracks`).

The section in use is the pick's own (``track_in_s``/``track_out_s``) for a picked track,
else :attr:`Session.sections <musicmatch_gui.state.Session.sections>`. Moving it is an
undoable pick edit when the track is picked, and a plain change of the list otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QTimer

from musicmatch_gui.actions import translate
from musicmatch_gui.undo import EditPick
from musicmatch_gui.widgets.results import TimingCell

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from core.match import MatchResult
    from core.timing.grid import TrackTiming
    from core.timing.section import ClipTiming, Section
    from musicmatch_gui.actions.audition import AuditionCommands
    from musicmatch_gui.jobs import JobRunner
    from musicmatch_gui.state import Library, Session
    from musicmatch_gui.widgets.results import ResultsModel
    from musicmatch_gui.widgets.timeline import TimelineStrip
    from musicmatch_gui.widgets.track_view import TrackView

__all__ = ["TimingCommands", "fit_file_name"]


def fit_file_name(title: str, clip: str, start_s: float) -> str:
    """A readable, portable file name for a track's fit to a clip from ``start_s``."""
    def clean(text: str) -> str:
        return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("._")[:60] or "track"

    return f"{clean(title)} - fit {clean(Path(clip).stem)} from {start_s:.2f}s.wav"


class TimingCommands:
    """Sections in the list and the track view, moving them, and Fit to clip.

    Parameters
    ----------
    results
        The ranked list's model; its ``timing_of`` is pointed at :meth:`cell`.
    track_view, timeline
        The selected track's view and the clip's timeline strip.
    undo_stack
        Where a picked track's section moves and fits go (they change the project).
    jobs
        Runs Fit to clip (kind ``"fit"``: a new fit cancels an older one).
    audition
        Plays a rendered fit with the picture.
    session, library
        Return the open session and library (both are replaced when a clip or library opens).
    selected_row
        The library row selected in the list, or None.
    picks_changed
        Refresh what shows the picks (list marks, picks panel) after a pick edit.
    status, failed
        Show a status line ``(text, ms)``; report an exception.
    fits_folder
        Returns the folder fits are written to (made when first needed).
    """

    def __init__(self, *, results: ResultsModel, track_view: TrackView, timeline: TimelineStrip,
                 undo_stack: QUndoStack, jobs: JobRunner, audition: AuditionCommands,
                 session: Callable[[], Session], library: Callable[[], Library | None],
                 selected_row: Callable[[], int | None], picks_changed: Callable[[], None],
                 status: Callable[..., None], failed: Callable[[BaseException], None],
                 fits_folder: Callable[[], Path]) -> None:
        self.results, self.track_view, self.timeline = results, track_view, timeline
        self.undo_stack, self.jobs, self.audition = undo_stack, jobs, audition
        self._session, self._library, self._selected_row = session, library, selected_row
        self._picks_changed, self._status, self._failed = picks_changed, status, failed
        self._fits_folder = fits_folder
        self._for_library: Library | None = None
        self._for_clip = None
        self._timings: dict[int, TrackTiming | None] = {}
        self._best: dict[int, Section | None] = {}
        self._cells: dict[int, TimingCell] = {}
        self._covers: list[bool | None] | None = None
        self._clip: ClipTiming | None = None
        self._shown: tuple | None = None
        self._pending: set[int] = set()
        self._scheduled = False
        results.timing_of = self.cell
        track_view.section_moved.connect(self.move_section)

    # -- what is known per row ---------------------------------------------------------------------

    def _current(self) -> None:
        """Forget what belongs to a library or a clip that is no longer open."""
        library, recommendation = self._library(), self._session().recommendation
        if library is not self._for_library:
            self._for_library = library
            self._timings.clear()
            self._for_clip = None
        if recommendation is not self._for_clip:
            self._for_clip = recommendation
            self._best.clear()
            self._pending.clear()  # an older clip's job is dropped when it ends
            self._cells.clear()
            self._covers = None
            self._clip = None
            if recommendation is not None:
                from core.timing.section import ClipTiming

                self._clip = ClipTiming.of(recommendation.analysis)

    @property
    def clip_length(self) -> float:
        """The open clip's length in seconds (0 without a clip)."""
        self._current()
        return float(self._clip.duration_s) if self._clip is not None else 0.0

    def timing(self, row: int) -> TrackTiming | None:
        """The timing of library ``row`` (None for a feature table's row, which has none)."""
        self._current()
        if row not in self._timings:
            library = self._library()
            records = getattr(library, "records", None) if library is not None else None
            timing = None
            if records is not None and 0 <= row < len(records):
                from core.timing.grid import TrackTiming

                timing = TrackTiming.of(records[row])
            self._timings[row] = timing
        return self._timings[row]

    def covers(self) -> list[bool | None] | None:
        """Whether each library row lasts the open clip (None per row when its length is unknown).

        None without a clip, or when no row's length is known (a feature table without
        durations): the ranking is then the plain one.
        """
        self._current()
        library = self._library()
        if self._clip is None or library is None:
            return None
        if self._covers is None:
            clip = self._clip.duration_s
            covers = [None if not t.duration_s or t.duration_s <= 0 else t.duration_s + 1e-6 >= clip
                      for t in library.tracks]
            self._covers = covers if any(c is not None for c in covers) else []
        return self._covers or None

    @property
    def pending(self) -> bool:
        """Whether best sections are being found in a job (the list fills them in when it ends)."""
        return bool(self._pending)

    def best(self, row: int, *, wait: bool = True) -> Section | None:
        """The best section of library ``row`` for the open clip (None without clip or timing).

        Not known yet: found now (``wait``, one track, about a millisecond), or queued for
        the job that finds the list's sections (``wait=False``, what the list asks for).
        """
        self._current()
        if row not in self._best:
            if not wait:
                self._queue([row])
                return None
            self._compute_now([row])
        return self._best.get(row)

    def _compute_now(self, rows) -> None:
        from core.timing.section import best_sections

        known = [(r, t) for r in rows if (t := self.timing(r)) is not None and t.duration_s > 0]
        self._best.update(dict.fromkeys(rows))
        if self._clip is not None:
            self._found(dict(zip((r for r, _ in known), best_sections([t for _, t in known], self._clip),
                                 strict=True)))

    def _found(self, sections: dict) -> None:
        session = self._session()
        for row, section in sections.items():
            self._best[row] = section
            session.sections.setdefault(row, (section.start_s, section.end_s))

    def _queue(self, rows) -> None:
        if self._clip is None:
            return
        new = [r for r in rows if r not in self._best and r not in self._pending]
        if not new:
            return
        self._pending.update(new)
        if not self._scheduled:  # one job for all the rows asked for while this event is handled
            self._scheduled = True
            QTimer.singleShot(0, self._start_job)

    def _start_job(self) -> None:
        """Find the queued rows' best sections in a job (the list shows them when it ends)."""
        self._scheduled = False
        self._current()
        library, clip, recommendation = self._library(), self._clip, self._for_clip
        rows = sorted(r for r in self._pending if r not in self._best)
        if not rows or clip is None or library is None:
            self._pending.clear()
            return
        records = getattr(library, "records", None)

        def work(progress, cancel):
            from core.timing.grid import TrackTiming
            from core.timing.section import best_sections

            timings = {r: TrackTiming.of(records[r]) if records is not None and r < len(records) else None
                       for r in rows}
            cancel.raise_if_cancelled()
            known = [r for r in rows if timings[r] is not None and timings[r].duration_s > 0]
            return timings, dict(zip(known, best_sections([timings[r] for r in known], clip), strict=True))

        def done(payload) -> None:
            self._pending.difference_update(rows)
            if library is not self._for_library or recommendation is not self._for_clip:
                return  # made for a clip or library no longer open
            timings, sections = payload
            for row in rows:
                self._timings.setdefault(row, timings[row])
                self._best.setdefault(row, None)
            self._found({r: s for r, s in sections.items() if self._best.get(r) is None})
            self.refresh()

        def dropped(*_args) -> None:
            self._pending.difference_update(rows)

        # kind="sections": a newer ranking's job replaces this one (it takes over the rows still pending).
        self.jobs.start(translate("MainWindow", "Finding the best sections"), work, on_success=done,
                        on_failure=dropped, on_cancel=dropped, kind="sections")

    def prepare(self, result: MatchResult | None, limit: int) -> None:
        """Queue the best sections of the ``limit`` listed rows of ``result`` (run after each ranking)."""
        self._current()
        if result is not None and self._clip is not None:
            self._queue([int(r) for r in result.indices[:limit]])
        self.refresh()

    def section(self, row: int, *, wait: bool = True) -> tuple[float, float] | None:
        """The section in use for ``row`` (the pick's, a moved one, or the best)."""
        session = self._session()
        found = session.section_of(row)
        if found is None and self.best(row, wait=wait) is not None:
            found = session.section_of(row)
        return found

    def cell(self, row: int) -> TimingCell:
        """What the list shows of ``row``'s timing (``ResultsModel.timing_of``)."""
        cell = self._cells.get(row)  # emptied whenever the library, the clip or a section changes
        if cell is not None:
            return cell
        self._current()
        library = self._library()
        record = None
        if library is not None and getattr(library, "records", None) is not None and row < len(library.records):
            record = library.records[row]
        key, reliable = "", True
        if record is not None:
            from core.timing.grid import reliable_tempo

            key = record.key or ""
            reliable = not record.tempo_bpm or reliable_tempo(record.tempo_bpm, record.tempo_confidence) > 0
        section, best = self.section(row, wait=False), self.best(row, wait=False)
        moved = section is not None and best is not None and abs(section[0] - best.start_s) > 1e-6
        covers = self.covers()
        cell = TimingCell(
            key=key, tempo_reliable=reliable, section_start_s=None if section is None else section[0],
            section_score=None if best is None or moved else best.score,
            reasons=() if best is None or moved else tuple(best.reasons),
            covers_clip=None if covers is None or row >= len(covers) else covers[row], clip_s=self.clip_length)
        self._cells[row] = cell
        return cell

    # -- the selected track ------------------------------------------------------------------------

    def show_selected(self) -> None:
        """Show the selected track in the track view, and its beats under the clip on the timeline."""
        self._current()
        row, library = self._selected_row(), self._library()
        if row is None or library is None or row >= len(library.tracks):  # (a list about to be refilled)
            self._shown = None
            self.track_view.clear()
            self.timeline.set_track_beats([], [])
            return
        timing = self.timing(row)
        if self._shown is None or self._shown[0] != row or self._shown[1] is not timing:
            self._shown = (row, timing)
            self.track_view.set_track(timing, library.tracks[row].title)
        clip = self._clip
        if timing is None or clip is None:
            self.track_view.set_section(0.0, 0.0)
            self.track_view.set_cuts([])
            self.timeline.set_track_beats([], [])
            return
        section = self.section(row)
        start = section[0] if section is not None else 0.0
        cell = self.cell(row)
        if self.track_view.dragging:  # a job ending mid-drag must not pull the section back
            return
        self.track_view.set_section(start, clip.duration_s, cell.section_score)
        self.track_view.set_cuts(clip.cuts)
        self._show_beats(timing, self.track_view.section_start, clip.duration_s)

    def _show_beats(self, timing: TrackTiming, start: float, length: float) -> None:
        def under_clip(times: np.ndarray) -> np.ndarray:
            times = np.asarray(times, dtype=np.float64)
            return times[(times >= start - 1e-6) & (times < start + length)] - start

        bars = under_clip(timing.bars) if timing.has_beat else np.zeros(0)
        beats = under_clip(timing.beats) if timing.has_beat else np.zeros(0)
        self.timeline.set_track_beats(beats, bars)

    def refresh(self) -> None:
        """Something about the sections changed (a move, an undo, picks): show it everywhere."""
        self._cells.clear()
        self.results.timing_changed()
        self.show_selected()

    # -- moving the section ------------------------------------------------------------------------

    def move_section(self, start_s: float, end_s: float) -> None:
        """The editor moved the selected track's section (track view drag or Left/Right)."""
        row, library = self._selected_row(), self._library()
        if row is None or library is None or self._clip is None:
            return
        session = self._session()
        title = library.tracks[row].title
        old = session.section_of(row)
        if old is not None and abs(old[0] - start_s) < 1e-9:
            return
        session.sections[row] = (float(start_s), float(end_s))
        session.fits.pop(row, None)  # rendered for the old section
        pick = session.picks.get(row)
        if pick is None:
            self.refresh()
        else:
            changes = {"track_in_s": float(start_s), "track_out_s": float(end_s)}
            if pick.rendered_path or pick.edits:
                changes.update(rendered_path="", edits=[])
            self.undo_stack.push(EditPick(session, row, changes, self._pick_edited,
                                          translate("MainWindow", "Move section of {title}").format(title=title)))
        self._status(translate("MainWindow", "{title}: the section now starts at {start:.2f} s").format(
            title=title, start=start_s))

    def _pick_edited(self) -> None:
        self._picks_changed()
        self.refresh()

    # -- Fit to clip ---------------------------------------------------------------------------------

    def fit_to_clip(self) -> None:
        """Render the selected track from its section to exactly the clip's length, in a job, and
        play it with the picture; a picked track keeps the file and its edits."""
        self._current()
        row, library, session = self._selected_row(), self._library(), self._session()
        if self._clip is None or session.recommendation is None:
            self._status(translate("MainWindow", "Open a clip first: Fit to clip makes a track last exactly as "
                                                 "long as the clip"))
            return
        if row is None or library is None:
            self._status(translate("MainWindow", "Select a track to fit to the clip"))
            return
        track = library.tracks[row]
        timing = self.timing(row)
        if timing is None:
            self._status(translate("MainWindow", "{title} has no beat or energy data (a feature table keeps none): "
                                                 "add its folder to a library to fit it").format(title=track.title))
            return
        from core.errors import InputError
        from core.timing.plan import check_fittable

        try:
            check_fittable(timing, refuse_silence=True)
        except InputError as exc:  # the editor's to know, not a fault: the status bar says it
            self._status(translate("MainWindow", "Cannot fit {title}: {reason}").format(title=track.title,
                                                                                       reason=exc))
            return
        section = self.section(row)
        start = section[0] if section is not None else 0.0
        length = float(self._clip.duration_s)
        target = self._fits_folder() / fit_file_name(track.title, session.video_path, start)

        def work(progress, cancel):
            from core.timing.plan import plan_fit
            from core.timing.render import read_track, render_plan, write_atomic
            from musicmatch_gui.audio import PLAYBACK_RATE, decode_for_audition

            progress(0.05, "Planning the edits")
            plan = plan_fit(timing, start, length)
            cancel.raise_if_cancelled()
            progress(0.2, "Reading the track")
            samples, rate = read_track(track.path)
            cancel.raise_if_cancelled()
            progress(0.5, "Rendering")
            rendered = render_plan(samples, rate, plan)
            cancel.raise_if_cancelled()
            target.parent.mkdir(parents=True, exist_ok=True)
            written = write_atomic(rendered, target)
            cancel.raise_if_cancelled()
            progress(0.8, "Preparing the audition")
            if rate == PLAYBACK_RATE:
                playable = rendered.samples
            else:
                decoded, play_rate = decode_for_audition(track.path, cancel=cancel)
                playable = render_plan(decoded, play_rate, plan).samples
            return plan, written, playable

        def done(payload) -> None:
            plan, written, playable = payload
            self._fitted(row, track.title, start, plan, written, playable)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, InputError):  # a length or track the planner refuses, said in one line
                self._status(translate("MainWindow", "Cannot fit {title}: {reason}").format(title=track.title,
                                                                                           reason=exc))
            else:
                self._failed(exc)

        self.jobs.start(translate("MainWindow", "Fitting {title} to the clip").format(title=track.title), work,
                        on_success=done, on_failure=failed, kind="fit",
                        on_cancel=lambda: self._status(translate("MainWindow", "Fit to clip cancelled"), 3000))

    def _fitted(self, row: int, title: str, start: float, plan, written: Path, playable: np.ndarray) -> None:
        session = self._session()
        edits = [[float(e.at_s), float(e.from_s), float(e.to_s)] for e in plan.edits]
        session.fits[row] = (str(written), edits)
        pick = session.picks.get(row)
        if pick is not None:
            changes = {"rendered_path": str(written), "edits": edits}
            if pick.track_out_s <= pick.track_in_s:
                changes.update(track_in_s=float(start), track_out_s=float(start + plan.length_s))
            self.undo_stack.push(EditPick(session, row, changes, self._pick_edited,
                                          translate("MainWindow", "Fit {title} to the clip").format(title=title)))
        played = self.audition.play_fit(row, playable, title, plan.segments)
        message = translate("MainWindow", "Fitted {title} to {length:.2f} s from {start:.2f} s: {count} edit(s), "
                                          "saved as {name}").format(title=title, length=plan.length_s, start=start,
                                                                    count=len(plan.edits), name=written.name)
        if plan.notes:
            from musicmatch_gui.core_text import fit_note

            message += "; " + "; ".join(fit_note(note) for note in plan.notes)
        if pick is not None:
            message += " " + translate("MainWindow", "(kept in the pick)")
        if not played:
            message += "; " + translate("MainWindow", "no audio output to play it on")
        self._status(message, 0)
