"""Audition: play a library track alone, or with the picture from the playhead, and A/B between tracks."""

from __future__ import annotations

from musicmatch_gui.actions import translate
from musicmatch_gui.audio import AudioUnavailable
from musicmatch_gui.widgets.video_panel import timecode

__all__ = ["AuditionActions"]


class AuditionActions:
    """Mixed into the main window. A track is decoded in a job, then played by ``self.audition``."""

    def audition_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            self._start_audition(row, keep_position=False)

    def play_with_picture(self) -> None:
        row = self._selected_row()
        if row is None:
            self.status(translate("MainWindow", "Select a track to play with the picture"))
            return
        self._start_audition(row, keep_position=True, with_picture=True)

    def audition_library_row(self, row: int) -> None:
        """Select ``row`` in the ranked list and audition it from the start (a pick's double-click)."""
        self._select_library_row(row)
        self.audition_selected()

    def _start_audition(self, row: int, *, keep_position: bool, with_picture: bool = False) -> None:
        assert self.library is not None
        track = self.library.tracks[row]
        start = self.video.position_s if (keep_position or with_picture) else 0.0

        def decode(progress, cancel):
            from musicmatch_gui.audio import decode_for_audition

            return decode_for_audition(track.path, cancel=cancel)

        def ready(decoded) -> None:
            samples, rate = decoded
            self.audition.load(samples, track.title, rate=rate)
            self._audition_row = row
            try:
                self.audition.play(start)
            except AudioUnavailable as exc:
                self.status(translate("MainWindow", "Cannot audition: {reason}").format(reason=exc))
                return
            if with_picture:
                self.video_player.play()
            self.status(translate("MainWindow", "Auditioning {title} from {time}").format(
                title=track.title, time=timecode(start, self.video.fps)), 0)

        # kind="audition": a newer request cancels this decode and drops its result, so two
        # tracks clicked in quick succession never play in the wrong order.
        self.jobs.start(translate("MainWindow", "Loading {title}").format(title=track.title), decode,
                        on_success=ready, on_failure=self._failed, kind="audition")

    def stop_all(self) -> None:
        for job in self.jobs.running():
            if job.kind == "audition":
                job.superseded = True
                job.cancel()
        was_playing = self.audition.playing
        self.audition.stop()
        self.video_player.pause()
        if was_playing:
            self.statusBar().clearMessage()
            self.status(translate("MainWindow", "Stopped"), 2000)

    def _update_meter(self) -> None:
        self.meter.setValue(int(min(1.0, self.audition.level * 3) * 100))
        self.track_position.setMaximum(int(self.audition.duration_s * 1000))
        if not self.track_position.isSliderDown():
            self.track_position.setValue(int(self.audition.position_s * 1000))
