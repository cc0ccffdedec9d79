"""Weak mood labels for the real-recording validation set (see ``real_music.py``).

Every label comes from a track's title or its documented use in its game, never from
listening or from our own analysis, so the AUCs measured on them are not tuned to our
formulas. The labels are weak: "battle" music is not always faster or louder than "menu"
music, which is exactly what a validation set must be allowed to show.

``AROUSAL``: ``1`` = high arousal (battle, fight, raid, attack, pursuit, hell),
``0`` = low arousal (strategy map, menu, sad intro, defeat, credits, calm places).
``VALENCE``: ``1`` = positive (victory, cheerful/peaceful places), ``0`` = negative
(defeat, sad, hell, graveyard, horror). Tracks with no clear cue carry no label and are
used only for tempo and invariance.

Keys are ``game/file name`` as ``real_music.py fetch`` stores them.
"""

from __future__ import annotations

__all__ = ["AROUSAL", "REASONS", "VALENCE"]

_HIGH = 1
_LOW = 0

# (key, arousal, valence, reason). ``None`` = no label on that axis.
_TABLE: list[tuple[str, int | None, int | None, str]] = [
    # UFO: Alien Invasion (ufoai-music). Battlescape = the tactical combat mission;
    # Geosphere/geoscape = the slow strategic globe view; titles name the rest.
    ("ufoai/Crystan-Battlescape01.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/Crystan-Battlescape02.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/Crystan-Battlescape03.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/Crystan-Battlescape04.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/Crystan-Battlescape05.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/Crystan-Battlescape06.ogg", _HIGH, None, "battlescape: tactical combat music"),
    ("ufoai/AlexFightmare.ogg", _HIGH, _LOW, "title: 'Fightmare'"),
    ("ufoai/MarineFireFight.ogg", _HIGH, None, "title: 'Fire Fight'"),
    ("ufoai/MarineUrbanWarfare.ogg", _HIGH, None, "title: 'Urban Warfare'"),
    ("ufoai/MarineAlienRaid.ogg", _HIGH, None, "title: 'Alien Raid'"),
    ("ufoai/MarineBacktheAttack.ogg", _HIGH, None, "title: 'Back the Attack'"),
    ("ufoai/MarineStrikingIntoTheUnknown.ogg", _HIGH, None, "title: 'Striking into the Unknown'"),
    ("ufoai/Crystan-Geosphere02.ogg", _LOW, None, "geosphere: strategic globe view, between missions"),
    ("ufoai/Crystan-Geosphere03.ogg", _LOW, None, "geosphere: strategic globe view, between missions"),
    ("ufoai/Crystan-Geosphere04.ogg", _LOW, None, "geosphere: strategic globe view, between missions"),
    ("ufoai/karlmacklin_geoscape.ogg", _LOW, None, "geoscape: strategic globe view, between missions"),
    ("ufoai/Crystan-IntroSad.ogg", _LOW, _LOW, "title: 'Intro Sad'"),
    ("ufoai/Crystan-LooseGame.ogg", _LOW, _LOW, "title: 'Lose Game' (defeat screen)"),
    ("ufoai/Crystan-WinGame.ogg", None, _HIGH, "title: 'Win Game' (victory screen)"),
    ("ufoai/Crystan-Credits.ogg", _LOW, _HIGH, "credits roll after the campaign is won"),
    ("ufoai/Crystan-Tutorial.ogg", _LOW, None, "tutorial: background under instructions"),
    # Advanced Strategic Command (asc-music): titles.
    ("asc/time_to_strike.mp3", _HIGH, None, "title: 'Time to Strike'"),
    ("asc/machine_wars.mp3", _HIGH, None, "title: 'Machine Wars'"),
    # Endgame: Singularity (singularity-music): the game's own win/ and lose/ folders.
    ("singularity/Apex Aleph.ogg", None, _HIGH, "played on winning (music/win/)"),
    ("singularity/Chimes They Fade.ogg", _LOW, _LOW, "played on losing (music/lose/)"),
    ("singularity/March Thee to Dis.ogg", None, _LOW, "played on losing (music/lose/)"),
    ("singularity/Enemy Unknown.ogg", _HIGH, None, "title: 'Enemy Unknown'"),
    ("singularity/Media Threat.ogg", _HIGH, None, "title: 'Media Threat'"),
    # HyperRogue (hyperrogue-music): the land each track plays in (hyperrogue-music.txt).
    ("hyperrogue/hr3-hell.ogg", _HIGH, _LOW, "plays in Hell and its fire lands"),
    ("hyperrogue/hr3-graveyard.ogg", None, _LOW, "plays in the Graveyard (undead)"),
    ("hyperrogue/hr3-rlyeh.ogg", None, _LOW, "plays in R'Lyeh (Cthulhu cultists)"),
    ("hyperrogue/hr-domina-hunting.ogg", _HIGH, None, "plays in the Hunting Ground (chased by dogs)"),
    ("hyperrogue/hr3-motion.ogg", _HIGH, None, "plays in the Land of Eternal Motion"),
    ("hyperrogue/hr-savino-palace.ogg", None, _HIGH, "plays in Camelot and the Palace (courtly)"),
    ("hyperrogue/hr-savino-caribbean.ogg", None, _HIGH, "plays in the Caribbean (pirate islands)"),
    # Warzone 2100 (warzone2100-music): titles in album.json; menu.opus is the menu theme.
    ("warzone2100/menu.opus", _LOW, None, "main menu theme"),
    ("warzone2100/menu_enhanced.opus", _LOW, None, "title: 'Menu Theme - Enhanced'"),
    ("warzone2100/track23.opus", _HIGH, None, "title: 'Blast Zone'"),
    ("warzone2100/track21.opus", None, _LOW, "title: 'The Collapse'"),
    ("warzone2100/track13.opus", None, _LOW, "title: 'Broken Dreams'"),
    ("warzone2100/track12.opus", None, _HIGH, "title: 'New Dawn'"),
    ("warzone2100/track26.opus", None, _HIGH, "title: 'Just Rewards'"),
    # Nexuiz (nexuiz-music): arena deathmatch tracks; titles.
    ("nexuiz/infight.ogg", _HIGH, None, "deathmatch arena track, title: 'Infight'"),
    ("nexuiz/beast-of-insanity.ogg", _HIGH, _LOW, "deathmatch arena track, title: 'Beast of Insanity'"),
    ("nexuiz/digital-pursuit.ogg", _HIGH, None, "deathmatch arena track, title: 'Digital Pursuit'"),
]

AROUSAL: dict[str, int] = {key: a for key, a, _, _ in _TABLE if a is not None}
"""``{key: 1 high | 0 low}``."""
VALENCE: dict[str, int] = {key: v for key, _, v, _ in _TABLE if v is not None}
"""``{key: 1 positive | 0 negative}``."""
REASONS: dict[str, str] = {key: reason for key, _, _, reason in _TABLE}
"""``{key: where the label comes from}``."""
