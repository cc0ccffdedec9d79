"""The editor's taste in the window: filters, More Like This, Learn From My Picks, taste profiles.

:class:`TasteCommands` is a collaborator of the main window, not a mixin: it receives what
it works with in its constructor (a :class:`TasteHost` of callables and the widgets it
drives) and never reaches into the window otherwise, the way Anki's ``aqt.operations``
are handed the collection and parent they need. What it decides for the ranking is
exposed as two questions the window's ``rerank`` asks: :meth:`TasteCommands.keep_mask`
(which library rows the filters list) and :meth:`TasteCommands.target` (the vector to rank
against: the clip's target, a liked track's vector, or a blend of the two).

The engine does the work: :mod:`core.recommend.filters`, :mod:`core.recommend.taste`
(adapt from the model in use, leave-one-out figures, the verdict) and
:class:`core.recommend.profiles.ProfileStore` (the same profiles ``musicmatch profile``
lists, so the window and the command line agree on the profile in use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMenu, QMessageBox, QWidget

from core.errors import InputError, MusicMatchError
from core.recommend.filters import TrackFilter
from musicmatch_gui.actions import translate
from musicmatch_gui.settings import filter_state, save_filter_state
from musicmatch_gui.shortcuts import menu_action
from musicmatch_gui.widgets.controls import LikeChip
from musicmatch_gui.widgets.filter_bar import FilterBar, PartMasks, loosen_hint

if TYPE_CHECKING:
    from core.recommend.model import Recommender
    from core.recommend.profiles import ProfileStore
    from core.recommend.taste import LearnReport
    from musicmatch_gui.jobs import Job, JobRunner
    from musicmatch_gui.state import Library, Session

__all__ = ["DEFAULT_BLEND", "SHIPPED", "TasteCommands", "TasteHost"]

DEFAULT_BLEND = 0.5
"""The liked track's share of the target when a clip is open (as ``--like-blend``'s default with a clip)."""
SHIPPED = "default"
"""``Session.model_name`` (and a learned model's base name) for the shipped model."""


@dataclass(frozen=True)
class TasteHost:
    """What :class:`TasteCommands` needs from the window, passed in explicitly."""

    parent: QWidget
    """Parent of the dialogs."""
    jobs: JobRunner
    model: Callable[[], Recommender | None]
    """The recommender in use (None while it loads)."""
    use_model: Callable[[Recommender, str], None]
    """Make a model the one in use under a name (a profile's, or :data:`SHIPPED`), retarget, re-rank."""
    library: Callable[[], Library | None]
    session: Callable[[], Session]
    rerank: Callable[[], None]
    status: Callable[[str], None]
    failed: Callable[[BaseException], None]
    language: Callable[[], str]


class TasteCommands:
    """Filters, More Like This, learning and profiles for one window (see the module text)."""

    def __init__(self, host: TasteHost, filter_bar: FilterBar, like_chip: LikeChip, profile_label: QLabel, *,
                 store: ProfileStore | None = None) -> None:
        self.host = host
        self.filter_bar = filter_bar
        self.like_chip = like_chip
        self.profile_label = profile_label
        self._store = store
        self.like_row: int | None = None
        """The library row "More Like This" ranks against (None: the clip's target)."""
        self.blend = DEFAULT_BLEND
        """The liked track's share of the target when a clip is open, 0..1."""
        self.learn_dialog = None
        """The last Learn dialog shown (kept so tests and screenshots can reach it)."""
        self.card_dialog = None
        self.filter_problem = ""
        """Why the filters could not be applied (a filter this library cannot answer), or ""."""
        self._masks = PartMasks()
        """Each filter part's mask over the library open, kept until that part changes."""
        stored = filter_state()
        if stored:
            filter_bar.apply_state(stored)
        filter_bar.changed.connect(self._filters_changed)
        like_chip.blend_changed.connect(self.set_blend)
        like_chip.back_requested.connect(self.clear_like)

    @property
    def store(self) -> ProfileStore:
        """The taste profiles (created on first use: the data folder may change in tests)."""
        if self._store is None:
            from core.recommend.profiles import ProfileStore

            self._store = ProfileStore()
        return self._store

    # -- filters ---------------------------------------------------------------------------------

    def track_filter(self) -> TrackFilter:
        """The filter bar's filter, with this project's picks and the clip's length filled in."""
        session = self.host.session()
        rec = session.recommendation
        clip = float(rec.analysis.duration_s) if rec is not None else None
        if self.filter_bar.clip_length != clip:
            self.filter_bar.blockSignals(True)  # filling in the clip is not the editor's edit
            self.filter_bar.set_clip_length(clip)
            self.filter_bar.blockSignals(False)
        chosen = self.filter_bar.track_filter()
        library = self.host.library()
        if self.filter_bar.exclude_picked.isChecked() and library is not None:
            # The session keys picks by library row; the same recording elsewhere in the library (same
            # content hash) counts as picked too. Rows, not paths: resolving every path on each re-rank
            # took half a second for 2000 tracks (benchmarks/bench_window_taste.py).
            rows = {row for row in session.picks if 0 <= row < len(library)}
            hashes = {library.hashes[row] for row in rows if library.hashes[row]}
            if hashes:
                rows |= {row for row, digest in enumerate(library.hashes) if digest in hashes}
            chosen = replace(chosen, exclude_paths=frozenset(), exclude_hashes=frozenset(),
                             exclude_rows=frozenset(rows))
        return chosen

    def keep_mask(self) -> np.ndarray | None:
        """Boolean mask of the library rows the filters list, shape ``(n,)``; None when every row is listed."""
        library = self.host.library()
        self.filter_problem = ""
        if library is None or library.facts is None or len(library) == 0:
            return None
        chosen = self.track_filter()
        if not chosen.active:
            return None
        try:
            return self._masks.mask(chosen, library.facts)
        except InputError as exc:  # a filter this library cannot answer: say so, list everything
            self.filter_problem = str(exc)
            return None

    def filter_note(self, shown: int) -> str:
        """The list note while filters are on: why nothing is listed and what to loosen ("" when rows show)."""
        library = self.host.library()
        if self.filter_problem:
            return translate("MainWindow", "A filter was not applied: {reason}").format(reason=self.filter_problem)
        if library is None or library.facts is None or shown > 0:
            return ""
        chosen = self.track_filter()
        if not chosen.active:
            return ""
        # Counted as the list shows them: one row per song when a song's files are grouped.
        within = library.versions.preferred_rows if library.versions is not None else None
        songs = len(library.versions) if library.versions is not None else len(library)
        hints = loosen_hint(chosen, library.facts, language=self.host.language(), within=within)
        if not hints:
            return translate("MainWindow", "The filters hide all {count} tracks of the library; loosen several of "
                                           "them, or Clear filters").format(count=songs)
        name, count = hints[0]
        others = ", ".join(f"{n} ({c})" for n, c in hints[1:])
        text = translate("MainWindow", "The filters hide all {count} tracks of the library; loosen {name} "
                                       "({listed} tracks would be listed)").format(count=songs, name=name,
                                                                                    listed=count)
        if others:
            text += translate("MainWindow", "; or {others}").format(others=others)
        return text

    def _filters_changed(self, _filter=None) -> None:
        save_filter_state(self.filter_bar.state())
        self.host.rerank()

    def library_opened(self, library: Library | None) -> None:
        """Grey out what a CSV library cannot filter on; a liked row of another library is forgotten."""
        # Grey out what no track of this library knows (a CSV library knows none of it; a database may
        # lack keys, say), rather than list nothing when the editor tries it.
        facts = library.facts if library is not None else None
        known = {"tempo": True, "duration": True, "key": True, "tags": True}
        if facts is not None and len(facts):
            known = {"tempo": bool(np.isfinite(facts.tempo_bpm).any()),
                     "duration": bool(np.isfinite(facts.duration_s).any()),
                     "key": any(k for k in facts.keys), "tags": library.kind != "csv"}
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_available(**known)
        self.filter_bar.blockSignals(False)
        if self.like_row is not None and (library is None or self.like_row >= len(library)):
            self.like_row = None
            self.like_chip.show_like(None, has_clip=False)

    # -- more like this --------------------------------------------------------------------------

    def target(self, clip_target: np.ndarray | None) -> np.ndarray | None:
        """The vector to rank against, shape ``(10,)``: the clip's target, the liked track's, or their blend.

        ``blend * liked + (1 - blend) * clip_target`` (SPEC §7 ``--like-blend``); with no clip
        target the liked track's vector alone (browsing the library by similarity).
        """
        library = self.host.library()
        if self.like_row is None or library is None or self.like_row >= len(library):
            return clip_target
        liked = library.index.features[self.like_row].astype(np.float64)
        if clip_target is None:
            return liked
        return (1.0 - self.blend) * np.asarray(clip_target, dtype=np.float64) + self.blend * liked

    def like(self, row: int | None) -> None:
        """Rank against library ``row``'s own vector (blended with the clip's target when a clip is open)."""
        library = self.host.library()
        if row is None or library is None or not 0 <= row < len(library):
            return
        self.like_row = int(row)
        has_clip = self.host.session().target is not None
        self.like_chip.show_like(library.tracks[row].title, has_clip=has_clip, blend=self.blend)
        self.host.rerank()
        self.host.status(translate("MainWindow", "Ranking against “{title}”: tracks like it come first").format(
            title=library.tracks[row].title))

    def set_blend(self, blend: float) -> None:
        """The liked track's share of the target, 0..1 (the chip's slider)."""
        self.blend = min(max(float(blend), 0.0), 1.0)
        if self.like_row is not None:
            self.host.rerank()

    def clear_like(self) -> None:
        """Back to the clip's target (or, without a clip, the library in its own order)."""
        if self.like_row is None:
            return
        self.like_row = None
        self.like_chip.show_like(None, has_clip=False)
        self.host.rerank()

    def session_changed(self) -> None:
        """A new clip or project: the chip follows whether there is a clip target to blend with."""
        library = self.host.library()
        if self.like_row is not None and library is not None and self.like_row < len(library):
            self.like_chip.show_like(library.tracks[self.like_row].title,
                                     has_clip=self.host.session().target is not None, blend=self.blend)

    # -- learn from my picks ---------------------------------------------------------------------

    def learn_from_picks_dialog(self) -> None:
        session = self.host.session()
        start = str(Path(session.project_path).parent) if session.project_path else ""
        folder = QFileDialog.getExistingDirectory(
            self.host.parent, translate("MainWindow", "Folder with your MusicMatch projects (.mmproj)"), start)
        if folder:
            self.learn_from_picks([folder])

    def learn_from_picks(self, paths: list[str], *, trials: int = 0) -> Job | None:
        """Adapt the model in use to the picks in ``paths`` (a job with progress and Cancel), then show the figures.

        From 5 picks; the picks' tracks take the open library's current features. The dialog
        offers the adapted model only when it is not worse than its base on the held-out picks.
        """
        base = self.host.model()
        if base is None:
            self.host.failed(InputError("the recommender is still loading; try again in a moment"))
            return None
        library = self.host.library()
        records = library.records if library is not None else None
        base_name = self.host.session().model_name or SHIPPED

        def work(progress, cancel):
            from core.recommend.taste import learn_from_projects

            return learn_from_projects(base, list(paths), library=records, base_name=base_name, trials=trials,
                                       progress=progress, cancel=cancel)

        return self.host.jobs.start(translate("MainWindow", "Learning from your picks"), work,
                             on_success=lambda report: self.show_learned(report, base_name),
                             on_failure=self.host.failed,
                             on_cancel=lambda: self.host.status(translate("MainWindow", "Learning cancelled; "
                                                                                        "the model in use is kept")),
                             kind="learn")

    def show_learned(self, report: LearnReport, base_name: str) -> None:
        """The Learn dialog for ``report``: figures before and after, the verdict, the picks used and left out."""
        from musicmatch_gui.widgets.taste_dialogs import LearnDialog

        shown_base = (translate("MainWindow", "the shipped model") if base_name == SHIPPED
                      else translate("MainWindow", "profile “{name}”").format(name=Path(base_name).stem
                                                                               if "/" in base_name else base_name))
        active = self.store.active_name()
        dialog = LearnDialog(report, base_name=shown_base, profile_name=active or translate("MainWindow", "My taste"),
                             parent=self.host.parent)
        dialog.use_requested.connect(lambda name: self.use_learned(report, name))
        self.learn_dialog = dialog
        dialog.open()
        self.host.status(translate("MainWindow", "Learned from {picks} picks: {verdict}").format(
            picks=report.model.info.get("training_data", {}).get("rows"),
            verdict=translate("MainWindow", "may be used") if report.accepted
            else translate("MainWindow", "worse than the model in use, not used")))

    def use_learned(self, report: LearnReport, name: str) -> None:
        """Save the adapted model as profile ``name`` (its card beside it), make it active and use it."""
        if not report.accepted:  # the dialog offers no button for it; guard the API as well
            self.host.failed(InputError(f"the adapted model is not used: {report.reason}"))
            return
        try:
            self.store.save(report.model, name, activate=True)
        except (MusicMatchError, OSError) as exc:
            self.host.failed(exc)
            return
        self.host.use_model(report.model, name)
        self.refresh_profile_label()
        self.host.status(translate("MainWindow", "Now using taste profile “{name}”").format(name=name))

    # -- profiles --------------------------------------------------------------------------------

    def fill_model_menu(self, menu: QMenu) -> None:
        """Learn From My Picks, the Profile submenu, the profile commands, Reset to the shipped model."""
        owner = self.host.parent

        def add(target: QMenu, text: str, slot, shortcut: str | None = None) -> QAction:
            return menu_action(target, owner, text, slot, shortcut)

        add(menu, translate("MainWindow", "&Learn From My Picks..."), self.learn_from_picks_dialog)
        menu.addSeparator()
        self.profile_menu = menu.addMenu(translate("MainWindow", "&Profile"))
        self.profile_menu.aboutToShow.connect(self.fill_profile_menu)
        self.fill_profile_menu()
        add(menu, translate("MainWindow", "&New Profile From the Model in Use..."), self.new_profile)
        add(menu, translate("MainWindow", "Re&name Profile..."), self.rename_profile)
        add(menu, translate("MainWindow", "&Delete Profile..."), self.delete_profile)
        self.card_menu = menu.addMenu(translate("MainWindow", "Profile &Cards"))
        self.card_menu.aboutToShow.connect(self.fill_card_menu)
        self.fill_card_menu()
        menu.addSeparator()
        add(menu, translate("MainWindow", "&Reset to the Shipped Model"), self.reset_to_shipped)

    def fill_profile_menu(self) -> None:
        """One checkable item per profile (the active one checked), and the shipped model."""
        menu = self.profile_menu
        menu.clear()
        group = QActionGroup(menu)
        group.setExclusive(True)
        active = self.store.active_name()
        entries = [(None, translate("MainWindow", "Shipped model"))]
        for profile in self.store.profiles():
            detail = []
            if profile.picks and profile.base is not None:  # an adapted profile (a copy keeps its base's data)
                detail.append(translate("MainWindow", "{picks} picks").format(picks=profile.picks))
            if profile.trained:
                detail.append(profile.trained)
            entries.append((profile.name, profile.name + (f"  ({', '.join(detail)})" if detail else "")))
        for name, text in entries:
            act = QAction(text, menu)
            act.setCheckable(True)
            act.setChecked(name == active)
            act.setData(name)
            act.triggered.connect(lambda _checked=False, n=name: self.switch_profile(n))
            group.addAction(act)
            menu.addAction(act)

    def fill_card_menu(self) -> None:
        """One item per profile (and the shipped model) opening its model card."""
        menu = self.card_menu
        menu.clear()
        for name in [None, *self.store.names()]:
            act = QAction(name or translate("MainWindow", "Shipped model"), menu)
            act.setData(name)
            act.triggered.connect(lambda _checked=False, n=name: self.show_card(n, active=False))
            menu.addAction(act)

    def switch_profile(self, name: str | None) -> None:
        """Use profile ``name`` (None: the shipped model); the model loads in a job, then the list re-ranks."""
        store = self.store

        def work(progress, cancel):
            return store.load(name) if name is not None else _shipped()

        def loaded(model) -> None:
            try:
                store.use(name)
            except MusicMatchError as exc:
                self.host.failed(exc)
                return
            self.host.use_model(model, name or SHIPPED)
            self.refresh_profile_label()
            self.host.status(translate("MainWindow", "Now using taste profile “{name}”").format(name=name) if name
                             else translate("MainWindow", "Now using the shipped model"))

        self.host.jobs.start(translate("MainWindow", "Loading a taste profile"), work, on_success=loaded,
                             on_failure=self.host.failed, kind="profile")

    def reset_to_shipped(self) -> None:
        """Use the shipped model again (the profiles are kept)."""
        self.switch_profile(None)

    def _ask_name(self, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self.host.parent, title, label, text=text)
        return name.strip() if ok and name.strip() else None

    def new_profile(self) -> None:
        """Save the model in use under a new name and make that profile active."""
        model = self.host.model()
        if model is None:
            return
        name = self._ask_name(translate("MainWindow", "New taste profile"),
                              translate("MainWindow", "Name of the new profile (a copy of the model in use):"))
        if name is None:
            return
        if name in self.store.names():
            self.host.failed(InputError(translate("MainWindow", "A taste profile named “{name}” exists already; "
                                                                "choose another name").format(name=name)))
            return
        try:
            self.store.save(model, name, activate=True)
        except (MusicMatchError, OSError) as exc:
            self.host.failed(exc)
            return
        self.host.use_model(model, name)
        self.refresh_profile_label()
        self.host.status(translate("MainWindow", "Now using taste profile “{name}”").format(name=name))

    def rename_profile(self, new: str | None = None) -> None:
        """Rename the profile in use (asks for the name when ``new`` is None)."""
        old = self.store.active_name()
        if old is None:
            self.host.status(translate("MainWindow", "The shipped model is in use; switch to a profile to rename it"))
            return
        if new is None:
            new = self._ask_name(translate("MainWindow", "Rename taste profile"),
                                 translate("MainWindow", "New name of “{name}”:").format(name=old), old)
        if new is None or new == old:
            return
        try:
            self.store.rename(old, new)
        except (MusicMatchError, OSError) as exc:
            self.host.failed(exc)
            return
        session = self.host.session()
        if session.model_name == old:
            session.model_name = new
        self.refresh_profile_label()
        self.host.status(translate("MainWindow", "Profile “{old}” is now “{new}”").format(old=old, new=new))

    def delete_profile(self) -> None:
        """Delete the profile in use (after a question) and go back to the shipped model."""
        name = self.store.active_name()
        if name is None:
            self.host.status(translate("MainWindow", "The shipped model is in use; there is no profile to delete"))
            return
        answer = QMessageBox.question(
            self.host.parent, translate("MainWindow", "Delete taste profile"),
            translate("MainWindow", "Delete the taste profile “{name}” and its card? The shipped model is used "
                                    "instead.").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.delete(name)
        except (MusicMatchError, OSError) as exc:
            self.host.failed(exc)
            return
        self.switch_profile(None)

    def show_card(self, name: str | None = None, *, active: bool = True) -> None:
        """A profile's model card (picks used, figures before and after, date): ``name``'s, or with
        ``active`` and no name the profile in use's; the shipped model's when ``name`` is None otherwise."""
        from musicmatch_gui.widgets.taste_dialogs import CardDialog

        if name is None and active:
            name = self.store.active_name()
        if name is None:
            from core.recommend.model import default_model_path

            card = default_model_path().with_suffix(".md")  # the shipped model's card sits beside it
            title = translate("MainWindow", "Shipped model")
        else:
            card = self.store.path(name).with_suffix(".md")
            title = translate("MainWindow", "Taste profile “{name}”").format(name=name)
        try:
            text = card.read_text(encoding="utf-8")
        except OSError:
            text = translate("MainWindow", "This model has no card ({path}).").format(path=card)
        self.card_dialog = CardDialog(title, text, self.host.parent)
        self.card_dialog.open()

    def refresh_profile_label(self) -> None:
        """The status bar's "Taste: NAME" (the shipped model when no profile is in use)."""
        name = self.store.active_name()
        shown = name if name is not None else translate("MainWindow", "shipped model")
        self.profile_label.setText(translate("MainWindow", "Taste: {name}").format(name=shown))
        self.profile_label.setToolTip(translate("MainWindow", "The recommender in use (Model > Profile)"))


def _shipped():
    from core.recommend.model import load_recommender

    return load_recommender(None)
