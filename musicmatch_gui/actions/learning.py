"""The recommender in use: learn one from the editor's picks, offer it with its measured recall, switch back."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from core.errors import InputError
from musicmatch_gui.actions import translate

__all__ = ["LearningActions"]


class LearningActions:
    """Mixed into the main window. Training runs as a job; the new model is used only if the editor accepts it."""

    def learn_from_picks_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("MainWindow", "Folder with your MusicMatch projects (.mmproj)"))
        if folder:
            self.learn_from_picks([folder])

    def learn_from_picks(self, paths: list[str], *, trials: int = 10) -> None:
        """Train a model on the picks in ``paths`` (a job); offer it with Recall@3 before and after."""
        current = self.model

        def work(progress, cancel):
            from core.recommend.projects import pairs_from_projects
            from core.recommend.training import MIN_PAIRS, evaluate, search_and_train, split_pairs

            pairs, files = pairs_from_projects(paths)
            if len(pairs) < MIN_PAIRS:
                raise InputError(f"{files} project(s) hold {len(pairs)} distinct picks; learning needs at least "
                                 f"{MIN_PAIRS} (pick more tracks across your projects)")
            _, _, test_rows = split_pairs(len(pairs), 0)
            test = pairs.subset(test_rows)
            before = evaluate(current.predict_many(test.video)[0], test.music)
            model, report = search_and_train(pairs, trials=trials, seed=0, source=f"picks in {', '.join(paths)}",
                                             progress=progress, cancel=cancel)
            return model, before, report

        self.jobs.start(translate("MainWindow", "Learning from your picks"), work, on_success=self._offer_model,
                        on_failure=self._failed)

    def _offer_model(self, payload) -> None:
        from PySide6.QtWidgets import QMessageBox

        model, before, report = payload
        pool = report["pool_size"]
        text = translate("MainWindow", "Recall@3 on {pool} of your picks the training never saw:\n"
                                       "  current model: {before:.2f}\n  new model: {after:.2f}\n\nUse the new model?")
        text = text.format(pool=pool, before=before.recall_at["3"], after=report["recall_at"]["3"])
        answer = QMessageBox.question(self, translate("MainWindow", "Learn from my picks"), text)
        if answer == QMessageBox.StandardButton.Yes:
            self.activate_model(model)

    def activate_model(self, model) -> None:
        """Make ``model`` the one that predicts targets (saved beside the user's data), and re-rank."""
        from core.paths import data_file
        from core.recommend.model import save_recommender

        target = data_file("recommender_mine.safetensors")
        save_recommender(model, target)
        self.model = model
        self.session.model_name = str(target)
        self._retarget()
        self.status(translate("MainWindow", "Now using the model learned from your picks ({path})").format(path=target))

    def use_default_model(self) -> None:
        from core.recommend.model import load_recommender

        self.model = load_recommender()
        self.session.model_name = "default"
        self._retarget()
        self.status(translate("MainWindow", "Now using the default model"))

    def _retarget(self) -> None:
        rec = self.session.recommendation
        if rec is None:
            return
        self.session.target = self.model.predict(rec.analysis.features.to_array()).features
        self.music_radar.set_series("target", self.session.target, "#4fc3f7")
        self.rerank(self.controls.settings())
