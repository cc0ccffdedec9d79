"""Generated training pairs from a known non-linear mapping: the ground truth for tests and benchmarks.

A fixed random "teacher" network (11 inputs, 32 tanh hidden units, 10 outputs) maps
standardised video vectors to standardised music vectors; Gaussian noise of 5 % of each
output's spread is added. ``gain`` sets how far into the tanh's bend the hidden units
go: at 0 the mapping is nearly linear, at the default 2.5 a linear least-squares fit
finds the right track among 300 for about 80 % of videos (Recall@3) while the mapping is
still learnable from a few thousand pairs.
"""

from __future__ import annotations

import numpy as np

from core.features import MUSIC, VIDEO
from core.recommend.pairs import Pairs

__all__ = ["teacher_pairs"]


def teacher_pairs(n: int, *, seed: int = 0, teacher_seed: int = 7, gain: float = 2.5, noise: float = 0.05) -> Pairs:
    """``n`` pairs from the teacher with ``teacher_seed`` (inputs drawn with ``seed``)."""
    teacher = np.random.default_rng(teacher_seed)
    w1 = teacher.normal(0.0, gain / np.sqrt(len(VIDEO)), size=(len(VIDEO), 32))
    b1 = teacher.normal(0.0, 0.5, size=32)
    w2 = teacher.normal(0.0, 1.0 / np.sqrt(32), size=(32, len(MUSIC)))
    rng = np.random.default_rng(seed)
    z_video = rng.normal(size=(n, len(VIDEO)))
    z_music = np.tanh(z_video @ w1 + b1) @ w2
    # Unit spread per output (measured on a large fixed sample, so every n gets the same scaling).
    reference = np.tanh(np.random.default_rng(0).normal(size=(20_000, len(VIDEO))) @ w1 + b1) @ w2
    z_music = (z_music - reference.mean(axis=0)) / reference.std(axis=0)
    z_music += rng.normal(0.0, noise, size=z_music.shape)
    video = VIDEO.centers + 0.5 * VIDEO.scales * z_video
    music = MUSIC.centers + 0.5 * MUSIC.scales * z_music
    return Pairs.from_arrays(video, music)
