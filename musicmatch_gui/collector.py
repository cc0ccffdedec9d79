"""Python's cycle collector runs in the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a
threshold is crossed, often a job thread. Collecting there destroys Qt objects that
belong to the GUI thread (a closed window's widgets, a finished job's wrappers) from
the wrong thread, which crashes at random (a segfault while "Garbage-collecting" in
a job; at quit, "Fatal Python error: none_dealloc"). So automatic collection is switched
off and a timer in the GUI thread collects whenever the same thresholds are crossed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["install_collector"]

_installed: list[QObject] = []


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def install_collector() -> None:
    """Move cycle collection to the GUI thread for the application's life (idempotent)."""
    app = QCoreApplication.instance()
    if app is None or any(c.parent() is app for c in _installed):
        return
    _installed.append(_Collector(app))
