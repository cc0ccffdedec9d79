"""Reasons in words for a ranked track: what it shares with the target, and where it differs most.

Built from the numbers the matcher already returns (the track's vector, the target's,
and each dimension's share of the distance), in the fixed standardised units of
:mod:`core.features`, in English or Chinese:

* **alike**: a dimension on which the target asks for something distinct (at least
  :data:`NOTABLE` from the middle of its range) and the track is within :data:`CLOSE`
  of it. When the video's own features are known and the picture drives that quality
  the same way (a fast pace and a fast tempo), the clip is named: "fast tempo like the
  clip's pace".
* **differs**: the dimension with the largest share of the distance, if it carries at
  least :data:`MAIN_SHARE` of it and the gap is at least :data:`CLOSE`: "warmer than the
  target".

Example: ``reasons(target, track, shares, video=v)`` ->
``["fast tempo like the clip's pace", "energetic like the picture", "warmer than the target"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from core.features import MUSIC, VIDEO

__all__ = ["CLOSE", "MAIN_SHARE", "NOTABLE", "explain", "reasons"]

NOTABLE = 0.3
"""Standardised distance from the range's middle from which a target value is "distinct"."""
CLOSE = 0.25
"""Standardised gap within which a track "has" the target's quality."""
MAIN_SHARE = 0.3
"""Share of the distance from which one dimension is named as the main difference."""


class _Words(NamedTuple):
    high: str
    low: str
    more: str
    less: str


_EN = {
    "richness": _Words("dense texture", "sparse texture", "denser", "sparser"),
    "variation": _Words("full of change", "steady", "more changeable", "steadier"),
    "rhythm": _Words("strong pulse", "soft pulse", "more rhythmic", "less rhythmic"),
    "warmth": _Words("warm sound", "cool sound", "warmer", "cooler"),
    "harmony": _Words("consonant", "tense harmony", "more consonant", "more dissonant"),
    "brightness": _Words("bright timbre", "dark timbre", "brighter", "darker"),
    "melody_trend": _Words("rising melody", "falling melody", "rising more", "falling more"),
    "rhythm_speed": _Words("fast tempo", "slow tempo", "faster", "slower"),
    "arousal": _Words("energetic", "calm", "more energetic", "calmer"),
    "valence": _Words("cheerful", "sombre", "more cheerful", "more sombre"),
}
_ZH = {
    "richness": _Words("织体丰满", "织体稀疏", "更丰满", "更稀疏"),
    "variation": _Words("变化丰富", "平稳", "变化更多", "更平稳"),
    "rhythm": _Words("律动鲜明", "律动柔和", "节奏感更强", "节奏感更弱"),
    "warmth": _Words("音色温暖", "音色清冷", "更温暖", "更清冷"),
    "harmony": _Words("和声协和", "和声紧张", "更协和", "更不协和"),
    "brightness": _Words("音色明亮", "音色暗沉", "更明亮", "更暗沉"),
    "melody_trend": _Words("旋律上行", "旋律下行", "更上行", "更下行"),
    "rhythm_speed": _Words("速度快", "速度慢", "更快", "更慢"),
    "arousal": _Words("充满能量", "平静", "更有能量", "更平静"),
    "valence": _Words("情绪愉快", "情绪低沉", "更愉快", "更低沉"),
}
# The picture's feature that drives each music quality (the congruence prior's main term), the sign
# of the link (+1: more of it asks for more of the quality) and how to name it.
_CLIP = {
    "rhythm_speed": ("narrative_pace", +1, "the clip's pace", "画面的节奏"),
    "rhythm": ("narrative_pace", +1, "the clip's cutting", "剪辑的节奏"),
    "variation": ("narrative_pace", +1, "the clip's changes", "画面的变化"),
    "arousal": ("visual_arousal", +1, "the picture's excitement", "画面的唤醒度"),
    "valence": ("visual_valence", +1, "the picture's mood", "画面的情绪"),
    "warmth": ("color_warmth", +1, "the clip's colours", "画面的色调"),
    "brightness": ("color_heaviness", -1, "the clip's colours", "画面的色彩"),
    "richness": ("narrative_content", +1, "the clip's detail", "画面的信息量"),
    "harmony": ("scene_tension", -1, "the scene's tension", "场景的张力"),
}


def _standardised(values: np.ndarray) -> np.ndarray:
    return (np.asarray(values, dtype=np.float64) - MUSIC.centers) / MUSIC.scales


def reasons(target: np.ndarray, track: np.ndarray, shares: Mapping[str, float], *,
            video: np.ndarray | None = None, language: str = "en", limit: int = 3) -> list[str]:
    """Short phrases saying why ``track`` is listed for ``target`` (see the module text).

    Parameters
    ----------
    target, track : array_like, shape (10,)
        Music vectors in feature units.
    shares : mapping of dimension id to float
        Each compared dimension's share of the distance (``MatchRow.shares``); dimensions
        not compared are not talked about.
    video : array_like, shape (11,), optional
        The clip's video features, to name the clip when it drives a shared quality.
    language : {"en", "zh"}
    limit : int
        Most phrases returned (the main difference, if any, is always among them).
    """
    chinese = str(language).lower().startswith("zh")
    words = _ZH if chinese else _EN
    zt, zx = _standardised(target), _standardised(track)
    compared = [d for d in MUSIC.ids if d in shares]
    difference: list[str] = []
    if compared:
        main = max(compared, key=lambda d: shares[d])
        col = MUSIC.index(main)
        gap = zx[col] - zt[col]
        if shares[main] >= MAIN_SHARE and abs(gap) >= CLOSE:
            word = words[main].more if gap > 0 else words[main].less
            difference.append(f"比目标{word}" if chinese else f"{word} than the target")
    alike: list[tuple[float, str]] = []
    for dim_id in compared:
        col = MUSIC.index(dim_id)
        if abs(zt[col]) < NOTABLE or abs(zx[col] - zt[col]) >= CLOSE:
            continue
        high = zt[col] > 0
        quality = words[dim_id].high if high else words[dim_id].low
        phrase = quality
        link = _CLIP.get(dim_id)
        if video is not None and link is not None:
            driver = VIDEO[link[0]]
            side = (float(np.asarray(video)[VIDEO.index(link[0])]) - driver.center) / driver.scale
            if abs(side) >= NOTABLE and (side * link[1] > 0) == high:
                phrase = f"{quality}，呼应{link[3]}" if chinese else f"{quality} like {link[2]}"
        alike.append((abs(zt[col]), phrase))
    alike.sort(key=lambda item: -item[0])
    room = max(limit - len(difference), 0)
    found = [phrase for _, phrase in alike[:room]] + difference
    if not found:
        found = ["各维度都接近目标" if chinese else "close to the target on every dimension"] \
            if not compared or max(shares[d] for d in compared) < MAIN_SHARE else \
            ["折中之选：没有特别突出的维度" if chinese else "a compromise: no quality stands out"]
    return found


def explain(target: np.ndarray, track: np.ndarray, shares: Mapping[str, float], *,
            video: np.ndarray | None = None, language: str = "en") -> str:
    """The reasons as one line (``"; "`` between phrases, ``"；"`` in Chinese), for tooltips and text output."""
    parts = reasons(target, track, shares, video=video, language=language)
    return ("；" if str(language).lower().startswith("zh") else "; ").join(parts)
