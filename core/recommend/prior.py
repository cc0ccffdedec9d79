"""A written cross-modal congruence prior: which music fits which picture, as explicit rules.

No paired data of editors' choices exists to train the shipped model on, so its training
pairs are generated from the rules below. Each rule says how one music feature follows
the picture's features, with the finding it rests on. Video inputs are drawn uniformly
over their ranges (every combination an editor might bring); each music value is its
rule plus Gaussian noise (10 % of the range), because many tracks fit one picture.

Notation: ``u(x)`` is a video feature mapped to 0..1 over its range, ``s(x)`` a signed
one mapped to -1..1; the result is mapped onto the music feature's range and clipped.

References
----------
- Lipscomb, S. D. & Kendall, R. A. (1994). Perceptual judgement of the relationship
  between musical and visual components in film. Psychomusicology 13, 60-98.
- Gabrielsson, A. & Lindström, E. (2010). The role of structure in the musical
  expression of emotions. In Juslin & Sloboda (eds.), Handbook of Music and Emotion.
- Spence, C. (2011). Crossmodal correspondences: a tutorial review. Attention,
  Perception, & Psychophysics 73, 971-995.
- Palmer, S. E., Schloss, K. B., Xu, Z. & Prado-León, L. R. (2013). Music-color
  associations are mediated by emotion. PNAS 110, 8836-8841.
- Iwamiya, S. (1994). Interactions between auditory and visual processing when
  listening to music in an audio visual context. Psychomusicology 13, 133-154.
- Boltz, M. G. (2001). Musical soundtracks as a schematic influence on the cognitive
  processing of filmed events. Music Perception 18, 427-454.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.features import MUSIC, VIDEO
from core.recommend.pairs import Pairs

__all__ = ["RULES", "Rule", "prior_pairs", "prior_target"]


@dataclass(frozen=True)
class Rule:
    music: str
    """The music feature id."""
    formula: str
    """The rule, in the module's notation (0..1 of the music range, before noise)."""
    source: str
    compute: Callable[[Callable[[str], np.ndarray], Callable[[str], np.ndarray]], np.ndarray]
    """``compute(u, s)``: the formula as code."""


RULES = (
    Rule("arousal", "0.1 + 0.55 u(visual_arousal) + 0.2 u(action_energy) + 0.15 u(narrative_pace)",
         "Lipscomb & Kendall 1994; Gabrielsson & Lindström 2010: an exciting picture calls for energetic music",
         lambda u, s: 0.1 + 0.55 * u("visual_arousal") + 0.2 * u("action_energy") + 0.15 * u("narrative_pace")),
    Rule("valence", "0.5 + 0.5 (0.6 s(visual_valence) + 0.25 s(image_affinity) + 0.15 (2 color_warmth - 1))",
         "Boltz 2001: the music's mood should agree with the scene's; Palmer et al. 2013: warm colours, happy music",
         lambda u, s: 0.5 + 0.5 * (0.6 * s("visual_valence") + 0.25 * s("image_affinity")
                                   + 0.15 * (2 * u("color_warmth") - 1))),
    Rule("rhythm_speed", "0.15 + 0.35 u(action_energy) + 0.35 u(narrative_pace) + 0.15 motion_amplitude",
         "Iwamiya 1994; Lipscomb & Kendall 1994: visual motion and cut rate pair with tempo",
         lambda u, s: 0.15 + 0.35 * u("action_energy") + 0.35 * u("narrative_pace") + 0.15 * u("motion_amplitude")),
    Rule("rhythm", "0.2 + 0.45 u(narrative_pace) + 0.35 u(action_energy)",
         "Lipscomb & Kendall 1994: cuts and motion accents want a salient pulse to align with",
         lambda u, s: 0.2 + 0.45 * u("narrative_pace") + 0.35 * u("action_energy")),
    Rule("brightness", "0.15 + 0.7 (1 - color_heaviness) + 0.15 u(visual_arousal)",
         "Spence 2011: lightness corresponds to pitch height and timbral brightness",
         lambda u, s: 0.15 + 0.7 * (1 - u("color_heaviness")) + 0.15 * u("visual_arousal")),
    Rule("warmth", "0.2 + 0.6 color_warmth + 0.2 (1 - u(scene_tension))",
         "Spence 2011; Palmer et al. 2013: warm hues pair with warm, full timbres",
         lambda u, s: 0.2 + 0.6 * u("color_warmth") + 0.2 * (1 - u("scene_tension"))),
    Rule("harmony", "0.5 + 0.5 (0.55 (1 - 2 u(scene_tension)) + 0.45 s(visual_valence))",
         "Gabrielsson & Lindström 2010: dissonance expresses tension and unpleasantness",
         lambda u, s: 0.5 + 0.5 * (0.55 * (1 - 2 * u("scene_tension")) + 0.45 * s("visual_valence"))),
    Rule("richness", "0.2 + 0.5 u(narrative_content) + 0.3 u(character_tension)",
         "Lipscomb & Kendall 1994: dense, information-rich pictures take denser textures",
         lambda u, s: 0.2 + 0.5 * u("narrative_content") + 0.3 * u("character_tension")),
    Rule("variation", "0.15 + 0.45 u(narrative_pace) + 0.4 u(narrative_content)",
         "Iwamiya 1994: frequent visual change pairs with music that changes",
         lambda u, s: 0.15 + 0.45 * u("narrative_pace") + 0.4 * u("narrative_content")),
    Rule("melody_trend", "0.5 + 0.2 s(visual_valence) + 0.1 (2 u(visual_arousal) - 1)",
         "Gabrielsson & Lindström 2010: rising contours go with positive, active expression",
         lambda u, s: 0.5 + 0.2 * s("visual_valence") + 0.1 * (2 * u("visual_arousal") - 1)),
)
_NOISE = 0.10


def _unit(video: np.ndarray, dim_id: str) -> np.ndarray:
    dim = VIDEO[dim_id]
    return (video[:, VIDEO.index(dim_id)] - dim.low) / (dim.high - dim.low)


def prior_target(video: np.ndarray) -> np.ndarray:
    """The rules' music vectors (no noise) for video vectors, shape ``(n, 10)``."""
    video = np.asarray(video, dtype=np.float64).reshape(-1, len(VIDEO))

    def u(dim_id: str) -> np.ndarray:
        return _unit(video, dim_id)

    def s(dim_id: str) -> np.ndarray:
        return 2.0 * u(dim_id) - 1.0

    raw = {rule.music: rule.compute(u, s) for rule in RULES}
    lows = np.array([d.low for d in MUSIC])
    highs = np.array([d.high for d in MUSIC])
    unit = np.stack([raw[d] for d in MUSIC.ids], axis=1)
    return lows + (highs - lows) * np.clip(unit, 0.0, 1.0)


def prior_pairs(n: int, *, seed: int = 0) -> Pairs:
    """``n`` pairs: uniform video vectors and their rule targets plus noise (10 % of each range)."""
    rng = np.random.default_rng(seed)
    lows = np.array([d.low for d in VIDEO])
    highs = np.array([d.high for d in VIDEO])
    video = lows + (highs - lows) * rng.uniform(size=(n, len(VIDEO)))
    m_lows = np.array([d.low for d in MUSIC])
    m_highs = np.array([d.high for d in MUSIC])
    music = prior_target(video) + rng.normal(0.0, _NOISE, size=(n, len(MUSIC))) * (m_highs - m_lows)
    return Pairs.from_arrays(video, np.clip(music, m_lows, m_highs))
