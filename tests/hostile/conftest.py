"""The hostile corpus's shared kit: inputs generated once per session, copied into each case's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.hostile import media


class Kit:
    """Generated inputs, made on first use and cached for the session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def video(self, name: str) -> Path:
        return media.odd_video(self.folder, name)

    def put(self, name: str, dest: Path, as_name: str | None = None) -> Path:
        """Copy the kit file ``name`` (a video of :mod:`media`, or one made by a method here) into ``dest``."""
        source = self.folder / name
        if not source.exists():
            source = self.video(name)
        target = dest / (as_name or name)
        shutil.copy2(source, target)
        return target

    def shipped_model(self, dest: Path, name: str = "model.safetensors") -> Path:
        from core.recommend.model import default_model_path

        source = default_model_path()
        target = dest / name
        shutil.copy2(source, target)
        shutil.copy2(f"{source}.json", f"{target}.json")
        return target

    def head(self, dest: Path, name: str = "head.safetensors") -> Path:
        """A video head file (untrained weights: the load path is what is under test)."""
        source = self.folder / "head.safetensors"
        if not source.exists():
            import torch

            from core.video.head import INPUT_FIELDS, HeadConfig, TrainedHead, VideoHead, save_head

            torch.manual_seed(0)
            config = HeadConfig()
            head = TrainedHead(VideoHead(len(INPUT_FIELDS), config), config,
                               np.zeros(len(INPUT_FIELDS), np.float32), np.ones(len(INPUT_FIELDS), np.float32))
            save_head(head, source)
        target = dest / name
        shutil.copy2(source, target)
        shutil.copy2(f"{source}.json", f"{target}.json")
        return target

    def project(self, dest: Path, name: str = "clip.mmproj") -> Path:
        """A real project: ``recommend`` on a generated clip with one pick, saved by the CLI itself."""
        source = self.folder / "clip.mmproj"
        if not source.exists():
            from core.cli.main import main

            clip = self.video("plain.mp4")
            table = media.audio_csv(self.folder / "kit_audio.csv", 6)
            status = main(["recommend", str(clip), "--audio-csv", str(table), "--pick", "1,2",
                           "--save-project", str(source)])
            assert status == 0, "the kit's project could not be made"
        target = dest / name
        shutil.copy2(source, target)
        return target

    def library(self, dest: Path, name: str = "lib.sqlite") -> Path:
        """A library database holding three analysed tones (scanned by ``library add``)."""
        source = self.folder / "lib.sqlite"
        if not source.exists():
            from core.cli.main import main

            music = self.folder / "kit_music"
            music.mkdir()
            for i, seconds in enumerate((3.0, 4.0, 5.0)):
                media.tone(music / f"tone_{i}.wav", seconds)
            assert main(["library", "add", str(music), "--db", str(source), "--jobs", "1"]) == 0
        target = dest / name
        shutil.copy2(source, target)
        return target


@pytest.fixture(scope="session")
def kit(tmp_path_factory) -> Kit:
    return Kit(tmp_path_factory.mktemp("hostile-kit"))
