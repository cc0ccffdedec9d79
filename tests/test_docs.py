"""The docs name what the code defines, and the README opens with the two commands."""

from __future__ import annotations

from pathlib import Path

from core.features import MUSIC, VIDEO

ROOT = Path(__file__).resolve().parents[1]


def test_feature_reference_lists_every_dimension_with_its_constants():
    text = (ROOT / "docs" / "features.md").read_text(encoding="utf-8")
    for dim in (*VIDEO, *MUSIC):
        row = next((line for line in text.splitlines() if f"`{dim.id}`" in line and line.startswith("|")), None)
        assert row is not None, f"{dim.id} missing from docs/features.md"
        assert dim.label_zh in row and dim.label_en in row
        assert f"{dim.low:g}..{dim.high:g}" in row and f"| {dim.center:g} | {dim.scale:g} |" in row
        if dim.seed_name:
            assert f"`{dim.seed_name}`" in row


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert "./run" in first_block and "./test" in first_block
