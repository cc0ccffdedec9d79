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


def test_every_command_has_a_section_in_the_cli_reference():
    from core.cli.main import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in commands if f"## `musicmatch {name}`" not in text]
    assert not missing, f"docs/cli.md lacks sections for {missing}"
