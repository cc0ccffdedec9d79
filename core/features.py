"""The feature schema: the 11 video and 10 music dimensions, in vector order.

This module is the single source of the dimension ids, labels (English and Chinese),
ranges, one-line definitions, the seed's CSV column names and the fixed matching scales.
Every other module, the command line and the GUI read them from here.

Two views of the same schema:

* :data:`VIDEO` and :data:`MUSIC` are :class:`FeatureSpace` objects: ordered
  :class:`Dimension` records plus helpers (``ids``, dimension selection, scales).
* :class:`VideoFeatures` and :class:`MusicFeatures` are frozen dataclasses whose field
  order is the vector order, for code that passes one vector around by name.

The fixed standardisation used by the matcher is ``z = (x - center) / scale`` with
``center`` the middle of the documented range and ``scale`` its half-width, so every
dimension maps its documented range onto ``-1..1``. These constants never depend on the
library at hand, so a track's standardised vector does not change when the library grows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import ClassVar, Self

import numpy as np

from core.errors import InputError

__all__ = [
    "MUSIC",
    "SCHEMA_VERSION",
    "VIDEO",
    "Dimension",
    "FeatureSpace",
    "MusicFeatures",
    "VideoFeatures",
    "parse_number",
    "parse_vector",
]

SCHEMA_VERSION = 1
"""Version of the feature schema; stored with every model file, project and database row.

Bump it whenever a dimension is added, removed, reordered or redefined in a way that
changes its values; files written under another version are refused or migrated.
"""


@dataclass(frozen=True, slots=True)
class Dimension:
    """One named dimension of a feature vector."""

    id: str
    """Stable identifier used in files, the command line and JSON (``snake_case``)."""
    label_en: str
    """Short English label for charts and tables."""
    label_zh: str
    """Short Chinese label for charts and tables."""
    low: float
    """Lower end of the documented range."""
    high: float
    """Upper end of the documented range."""
    definition: str
    """One-line definition of what the dimension measures (tooltips, docs)."""
    seed_name: str | None = None
    """Column name used by the customer's original CSV files, if any."""

    @property
    def center(self) -> float:
        """Middle of the documented range: the neutral value used for standardisation."""
        return (self.low + self.high) / 2.0

    @property
    def scale(self) -> float:
        """Half-width of the documented range: the fixed standardisation scale."""
        return (self.high - self.low) / 2.0

    def label(self, language: str = "en") -> str:
        """Label in ``language`` (``"en"`` or ``"zh"``; anything starting with ``zh`` is Chinese)."""
        return self.label_zh if language.lower().startswith("zh") else self.label_en

    def normalise(self, value: float) -> float:
        """Position of ``value`` in the documented range as ``0..1`` (clipped), for charts."""
        return min(1.0, max(0.0, (float(value) - self.low) / (self.high - self.low)))


class FeatureSpace:
    """An ordered set of dimensions: the video space or the music space.

    Parameters
    ----------
    name : str
        ``"video"`` or ``"music"``; used in messages.
    dimensions : sequence of Dimension
        In vector order.
    va_ids : (str, str)
        Ids of the arousal and valence dimensions (the ``va`` selection).
    """

    def __init__(self, name: str, dimensions: Sequence[Dimension], va_ids: tuple[str, str]) -> None:
        self.name = name
        self.dimensions: tuple[Dimension, ...] = tuple(dimensions)
        self.ids: tuple[str, ...] = tuple(d.id for d in self.dimensions)
        self._index = {d.id: i for i, d in enumerate(self.dimensions)}
        if len(self._index) != len(self.dimensions):
            raise ValueError(f"duplicate dimension ids in the {name} space")
        for dim_id in va_ids:
            if dim_id not in self._index:
                raise ValueError(f"arousal/valence id {dim_id!r} is not a {name} dimension")
        self.va_ids = va_ids
        self.centers = np.array([d.center for d in self.dimensions], dtype=np.float64)
        self.scales = np.array([d.scale for d in self.dimensions], dtype=np.float64)
        self.centers.setflags(write=False)
        self.scales.setflags(write=False)

    def __len__(self) -> int:
        return len(self.dimensions)

    def __iter__(self):
        return iter(self.dimensions)

    def __repr__(self) -> str:
        return f"FeatureSpace({self.name!r}, {len(self)} dimensions)"

    def __getitem__(self, dim_id: str) -> Dimension:
        return self.dimensions[self.index(dim_id)]

    def index(self, dim_id: str) -> int:
        """Position of ``dim_id`` in the vector; :class:`InputError` if unknown."""
        try:
            return self._index[dim_id]
        except KeyError:
            raise InputError(
                f"unknown {self.name} dimension {dim_id!r}; expected one of: {', '.join(self.ids)}"
            ) from None

    def select(self, spec: str | Iterable[str] | None = "all") -> tuple[str, ...]:
        """Resolve a dimension selection to ids in vector order.

        Parameters
        ----------
        spec : str or iterable of str or None
            ``"all"`` (or ``None``), ``"va"`` (arousal and valence), a comma-separated
            string of ids, or an iterable of ids; ``all`` and ``va`` may be list items.

        Returns
        -------
        tuple of str
            The selected ids, de-duplicated, in vector order (not the order given).
        """
        if spec is None:
            return self.ids
        if isinstance(spec, str):
            text = spec.strip()
            if text.lower() in ("", "all"):
                if text == "":
                    raise InputError("empty dimension selection; use 'all', 'va' or a list of ids")
                return self.ids
            if text.lower() == "va":
                return tuple(i for i in self.ids if i in self.va_ids)
            requested = [part.strip() for part in text.split(",")]
        else:
            requested = [str(part).strip() for part in spec]
        if not requested or any(part == "" for part in requested):
            raise InputError(f"empty id in dimension selection {spec!r}")
        chosen: set[int] = set()
        for part in requested:
            # "va" and "all" may appear inside a list too ("va,brightness").
            if part.lower() == "all":
                chosen.update(range(len(self)))
            elif part.lower() == "va":
                chosen.update(self.index(i) for i in self.va_ids)
            else:
                chosen.add(self.index(part))
        return tuple(self.ids[i] for i in sorted(chosen))

    def label(self, dim_id: str, language: str = "en") -> str:
        """Label of ``dim_id`` in ``language``."""
        return self[dim_id].label(language)

    def check_vector(self, values: Sequence[float] | np.ndarray, *, what: str = "vector") -> np.ndarray:
        """Return ``values`` as a float64 array after checking length and finiteness."""
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 1 or array.shape[0] != len(self):
            raise InputError(
                f"{what} must have {len(self)} {self.name} values ({', '.join(self.ids)}), "
                f"got {array.size}"
            )
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            raise InputError(f"{what} has a non-finite value for {self.ids[bad[0]]!r}")
        return array


VIDEO = FeatureSpace(
    "video",
    [
        Dimension("character_tension", "Character tension", "人物张力", 0, 100,
                  "People under strain: face presence and size, number of faces, facial and body motion."),
        Dimension("scene_tension", "Scene tension", "场景张力", 0, 100,
                  "Tense surroundings: darkness, contrast, camera shake, sudden changes of light."),
        Dimension("narrative_pace", "Narrative pace", "叙事节奏", 0, 100,
                  "Editing rhythm: cuts per minute, shot length and rate of visual change."),
        Dimension("narrative_content", "Narrative content", "叙事内容", 0, 100,
                  "Information density: visual complexity and the number of distinct shots and palettes."),
        Dimension("image_affinity", "Image affinity", "形象亲缘", -100, 100,
                  "How approachable the imagery is: faces, smiles, warm soft light (+) "
                  "versus empty, harsh, cold (-)."),
        Dimension("action_energy", "Action energy", "动作能量", 0, 100,
                  "Strength of motion in the scene (optical flow magnitude with camera motion removed)."),
        Dimension("color_heaviness", "Colour heaviness", "色彩轻重", 0, 1,
                  "Visual weight of the colour: dark and saturated is heavy, pale and bright is light."),
        Dimension("color_warmth", "Colour warmth", "色彩冷暖", 0, 1,
                  "Warm (red-yellow) versus cool (cyan-blue) balance, weighted by saturation."),
        Dimension("motion_amplitude", "Motion amplitude", "动作幅度", 0, 1,
                  "Spatial extent of motion: the share of the frame that moves and how far it moves."),
        Dimension("visual_arousal", "Visual arousal", "画面唤醒度", 0, 100,
                  "Excitement of the picture: motion, cut rate, saturation and contrast."),
        Dimension("visual_valence", "Visual valence", "画面效价", -100, 100,
                  "Pleasantness of the picture: brightness, saturation, warmth and smiles."),
    ],
    va_ids=("visual_arousal", "visual_valence"),
)
"""The 11 video dimensions of SPEC.md §2, in vector order."""

MUSIC = FeatureSpace(
    "music",
    [
        Dimension("richness", "Richness", "丰富度", -10, 10,
                  "Textural density: spectral spread and flatness, simultaneous partials.", "Richness"),
        Dimension("variation", "Variation", "变化度", -10, 10,
                  "Change over time: loudness and timbre novelty, section changes.", "Variation"),
        Dimension("rhythm", "Rhythm", "节奏感", -10, 10,
                  "Rhythmic salience: pulse clarity and onset strength.", "Rhythm"),
        Dimension("warmth", "Warmth", "温暖度", -10, 10,
                  "Low-mid weight against the highs (spectral tilt).", "Warmth"),
        Dimension("harmony", "Harmony", "和谐度", -10, 10,
                  "Tonal consonance: key clarity and harmonicity.", "Harmony"),
        Dimension("brightness", "Brightness", "明亮度", 0, 100,
                  "Spectral centroid and high-frequency energy.", "brightness_score"),
        Dimension("melody_trend", "Melody trend", "旋律走向", 0, 100,
                  "Slope of the predominant pitch contour; 50 is flat, above rises, below falls.",
                  "Melody Trend Score"),
        Dimension("rhythm_speed", "Rhythm speed", "节奏速度", 0, 100,
                  "Tempo and onset density (40 BPM is about 0, 200 BPM about 100).", "Rhythm speed score"),
        Dimension("arousal", "Music arousal", "音乐唤醒度", 0, 100,
                  "Energy: loudness, tempo, brightness and onset density.", "音乐唤醒度"),
        Dimension("valence", "Music valence", "音乐效价", -100, 100,
                  "Pleasantness: mode, consonance, tempo and brightness.", "音乐效价"),
    ],
    va_ids=("arousal", "valence"),
)
"""The 10 music dimensions of SPEC.md §2, in vector order."""


class _FeatureVector:
    """Shared behaviour of the vector dataclasses; ``SPACE`` names their feature space."""

    SPACE: ClassVar[FeatureSpace]
    NAMES: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.NAMES = cls.SPACE.ids

    def __post_init__(self) -> None:
        # Finite or refused, whichever way a vector is built: a NaN that entered here would
        # reach rankings, projects and JSON output (which cannot carry it) far from its cause.
        for name in self.NAMES:
            value = getattr(self, name)
            if not math.isfinite(value):
                raise InputError(f"{self.SPACE.name} feature {name!r} is not a finite number ({value})")

    def to_array(self) -> np.ndarray:
        """The vector as a float64 array of shape ``(n_dims,)`` in schema order."""
        return np.array([getattr(self, name) for name in self.NAMES], dtype=np.float64)

    @classmethod
    def from_array(cls, values: Sequence[float] | np.ndarray) -> Self:
        """Build from a sequence of ``n_dims`` finite numbers in schema order."""
        array = cls.SPACE.check_vector(values, what=f"{cls.SPACE.name} feature vector")
        return cls(*(float(v) for v in array))

    def to_dict(self) -> dict[str, float]:
        """``{id: value}`` in schema order (the JSON form)."""
        return {name: float(getattr(self, name)) for name in self.NAMES}

    @classmethod
    def from_dict(cls, values: Mapping[str, float]) -> Self:
        """Build from ``{id: value}``; every id must be present, no others."""
        missing = [n for n in cls.NAMES if n not in values]
        extra = [k for k in values if k not in cls.NAMES]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if extra:
                parts.append(f"unknown {', '.join(map(str, extra))}")
            raise InputError(f"{cls.SPACE.name} features: {'; '.join(parts)}")
        return cls.from_array([values[n] for n in cls.NAMES])


@dataclass(frozen=True, slots=True)
class VideoFeatures(_FeatureVector):
    """The 11 video features of one clip (or shot), in vector order."""

    SPACE: ClassVar[FeatureSpace] = VIDEO

    character_tension: float
    """人物张力, 0..100: people under strain (faces, close-ups, facial and body motion)."""
    scene_tension: float
    """场景张力, 0..100: tense surroundings (darkness, contrast, shake, light changes)."""
    narrative_pace: float
    """叙事节奏, 0..100: editing rhythm (cuts per minute, shot length, visual change)."""
    narrative_content: float
    """叙事内容, 0..100: information density (complexity, distinct shots and palettes)."""
    image_affinity: float
    """形象亲缘, -100..100: approachable (+) versus empty, harsh, cold (-) imagery."""
    action_energy: float
    """动作能量, 0..100: strength of object motion, camera motion removed."""
    color_heaviness: float
    """色彩轻重, 0..1: visual weight of colour (dark and saturated is heavy)."""
    color_warmth: float
    """色彩冷暖, 0..1: warm versus cool balance, saturation weighted."""
    motion_amplitude: float
    """动作幅度, 0..1: spatial extent of motion (moving share of frame, displacement)."""
    visual_arousal: float
    """画面唤醒度, 0..100: excitement of the picture."""
    visual_valence: float
    """画面效价, -100..100: pleasantness of the picture."""


@dataclass(frozen=True, slots=True)
class MusicFeatures(_FeatureVector):
    """The 10 music features of one track (or a predicted target), in vector order."""

    SPACE: ClassVar[FeatureSpace] = MUSIC

    richness: float
    """Richness, about -10..10: textural density."""
    variation: float
    """Variation, about -10..10: change over time."""
    rhythm: float
    """Rhythm, about -10..10: pulse clarity and onset strength."""
    warmth: float
    """Warmth, about -10..10: low-mid weight against the highs."""
    harmony: float
    """Harmony, about -10..10: key clarity and consonance."""
    brightness: float
    """Brightness, 0..100: spectral centroid and high-frequency energy."""
    melody_trend: float
    """Melody trend, 0..100: slope of the pitch contour, 50 = flat."""
    rhythm_speed: float
    """Rhythm speed, 0..100: tempo and onset density (40 BPM ~ 0, 200 BPM ~ 100)."""
    arousal: float
    """音乐唤醒度, 0..100: energy."""
    valence: float
    """音乐效价, -100..100: pleasantness."""


def _check_dataclass_order() -> None:
    # The dataclass fields and the space must list the same ids in the same order;
    # checked once at import so a mismatch can never ship.
    for cls in (VideoFeatures, MusicFeatures):
        names = tuple(f.name for f in fields(cls))
        if names != cls.SPACE.ids:
            raise RuntimeError(f"{cls.__name__} fields {names} differ from {cls.SPACE.ids}")


_check_dataclass_order()

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str, *, decimal_comma: bool = False) -> float | None:
    """Parse a plain decimal number (``-5.52``, ``+3``, ``.5``, ``1e-3``); ``None`` otherwise.

    Stricter than :func:`float`: ``nan``, ``inf``, ``1_000`` and empty text are not
    numbers here, so they are reported instead of silently entering a vector. With
    ``decimal_comma`` a single comma is read as the decimal point (``-5,52``), as in
    CSV files saved by European spreadsheets.
    """
    body = text.strip()
    if decimal_comma and body.count(",") == 1 and "." not in body:
        body = body.replace(",", ".")
    if not _NUMBER.match(body):
        return None
    value = float(body)
    return value if math.isfinite(value) else None


def parse_vector(text: str, space: FeatureSpace, *, what: str = "vector") -> np.ndarray:
    """Parse ``"v1,v2,..."`` into a float64 array of ``len(space)`` finite numbers.

    Accepts spaces around values and optional surrounding brackets (``[..]`` as printed
    by Python or JSON). Raises :class:`InputError` naming the offending position.
    """
    body = text.strip()
    if body[:1] in "[(" and body[-1:] in "])":
        body = body[1:-1]
    parts = [p.strip() for p in body.split(",")] if body.strip() else []
    if len(parts) != len(space):
        raise InputError(
            f"{what} must be {len(space)} comma-separated numbers "
            f"({', '.join(space.ids)}), got {len(parts)}"
        )
    values = []
    for position, (part, dim_id) in enumerate(zip(parts, space.ids, strict=True), start=1):
        value = parse_number(part)
        if value is None:
            kind = "not finite" if _NUMBER.match(part) else "not a number"
            raise InputError(f"{what}: value {position} ({dim_id}) is {kind}: {part!r}")
        values.append(value)
    return np.array(values, dtype=np.float64)
