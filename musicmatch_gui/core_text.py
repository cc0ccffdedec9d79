"""A translation path for the engine's own words: emotion names and feature definitions.

``core`` never imports Qt, so its English strings (the emotion quadrant a prediction
names, each dimension's one-line definition) are listed here with ``QT_TRANSLATE_NOOP``:
Qt Linguist extracts them under the context ``core`` and the window shows them through
:func:`emotion_label` and :func:`definition`. A test checks that every emotion and
definition in core is listed, so a new one cannot slip through untranslated.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.features import Dimension

__all__ = ["DEFINITIONS", "EMOTIONS", "FIT_NOTES", "definition", "emotion_label", "fit_note"]

EMOTIONS = {
    "joyful": QT_TRANSLATE_NOOP("core", "joyful"),
    "tense": QT_TRANSLATE_NOOP("core", "tense"),
    "sad": QT_TRANSLATE_NOOP("core", "sad"),
    "calm": QT_TRANSLATE_NOOP("core", "calm"),
}

DEFINITIONS = {
    "character_tension": QT_TRANSLATE_NOOP("core", "People under strain: face presence and size, number of faces, "
                                                   "facial and body motion."),
    "scene_tension": QT_TRANSLATE_NOOP("core", "Tense surroundings: darkness, contrast, camera shake, sudden changes "
                                               "of light."),
    "narrative_pace": QT_TRANSLATE_NOOP("core", "Editing rhythm: cuts per minute, shot length and rate of visual "
                                                "change."),
    "narrative_content": QT_TRANSLATE_NOOP("core", "Information density: visual complexity and the number of "
                                                   "distinct shots and palettes."),
    "image_affinity": QT_TRANSLATE_NOOP("core", "How approachable the imagery is: faces, smiles, warm soft light (+) "
                                                "versus empty, harsh, cold (-)."),
    "action_energy": QT_TRANSLATE_NOOP("core", "Strength of motion in the scene (optical flow magnitude with camera "
                                               "motion removed)."),
    "color_heaviness": QT_TRANSLATE_NOOP("core", "Visual weight of the colour: dark and saturated is heavy, pale and "
                                                 "bright is light."),
    "color_warmth": QT_TRANSLATE_NOOP("core", "Warm (red-yellow) versus cool (cyan-blue) balance, weighted by "
                                              "saturation."),
    "motion_amplitude": QT_TRANSLATE_NOOP("core", "Spatial extent of motion: the share of the frame that moves and "
                                                  "how far it moves."),
    "visual_arousal": QT_TRANSLATE_NOOP("core", "Excitement of the picture: motion, cut rate, saturation and "
                                                "contrast."),
    "visual_valence": QT_TRANSLATE_NOOP("core", "Pleasantness of the picture: brightness, saturation, warmth and "
                                                "smiles."),
    "richness": QT_TRANSLATE_NOOP("core", "Textural density: spectral spread and flatness, simultaneous partials."),
    "variation": QT_TRANSLATE_NOOP("core", "Change over time: loudness and timbre novelty, section changes."),
    "rhythm": QT_TRANSLATE_NOOP("core", "Rhythmic salience: pulse clarity and onset strength."),
    "warmth": QT_TRANSLATE_NOOP("core", "Low-mid weight against the highs (spectral tilt)."),
    "harmony": QT_TRANSLATE_NOOP("core", "Tonal consonance: key clarity and harmonicity."),
    "brightness": QT_TRANSLATE_NOOP("core", "Spectral centroid and high-frequency energy."),
    "melody_trend": QT_TRANSLATE_NOOP("core", "Slope of the predominant pitch contour; 50 is flat, above rises, "
                                              "below falls."),
    "rhythm_speed": QT_TRANSLATE_NOOP("core", "Tempo and onset density (40 BPM is about 0, 200 BPM about 100)."),
    "arousal": QT_TRANSLATE_NOOP("core", "Energy: loudness, tempo, brightness and onset density."),
    "valence": QT_TRANSLATE_NOOP("core", "Pleasantness: mode, consonance, tempo and brightness."),
}


def emotion_label(name: str) -> str:
    """An emotion quadrant's name in the UI language (unknown names as they are)."""
    return QCoreApplication.translate("core", name) if name in EMOTIONS else name


def definition(dim: Dimension) -> str:
    """A dimension's definition in the UI language; core's own text when this list lags behind."""
    listed = DEFINITIONS.get(dim.id)
    if listed != dim.definition:
        return dim.definition
    return QCoreApplication.translate("core", listed)


FIT_NOTES = (
    QT_TRANSLATE_NOOP("core", "the track has no steady beat: edits join quiet moments and ignore bars and phrases"),
    QT_TRANSLATE_NOOP("core", "no similar-sounding bars to loop on: repeats the section from its last bar"),
    QT_TRANSLATE_NOOP("core", "ends on a bar line: no phrase end fits the length without more edits"),
    QT_TRANSLATE_NOOP("core", "no bar or phrase end fits the length: ends on a fade-out"),
)
"""The notes :func:`core.timing.plan.plan_fit` adds to a fit (the fallbacks it took)."""


def fit_note(note: str) -> str:
    """A fit plan's note in the UI language (a note this list does not know stays as it is)."""
    return QCoreApplication.translate("core", note) if note in FIT_NOTES else note
