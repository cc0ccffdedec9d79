"""The status bar's view of the running jobs: what runs, how far it is, and a Cancel for it.

Every job the :class:`~musicmatch_gui.jobs.JobRunner` runs is tracked, not only the last
one started: the bar shows the oldest job still running (and how many more wait behind
it), and Cancel cancels exactly the job shown. When it ends, the next one is shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from musicmatch_gui.jobs import Job, JobRunner

__all__ = ["JobBar"]


class JobBar(QWidget):
    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the job shown here (work already done is kept)"))
        self.cancel_button.clicked.connect(self.cancel_shown)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.progress, self.cancel_button):
            layout.addWidget(widget)
        runner.changed.connect(self.refresh)
        self.refresh()

    def shown_job(self) -> Job | None:
        """The job the bar shows (the oldest still running that was not cancelled), or None."""
        for job in self._runner.running():
            if not job.token.cancelled:
                return job
        return None

    def cancel_shown(self) -> None:
        job = self.shown_job()
        if job is not None:
            job.cancel()
        self.refresh()

    def refresh(self) -> None:
        job = self.shown_job()
        self.setVisible(job is not None)
        if job is None:
            return
        others = sum(1 for j in self._runner.running() if j is not job and not j.token.cancelled)
        text = job.message or job.title
        if others:
            text += "  " + self.tr("(+{count} more)").format(count=others)
        self.label.setText(text)
        self.progress.setValue(int(job.fraction * 1000))
