"""Replays of real hand histories (../shared/phh) through the table runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from riverboat.cli import main
from riverboat.table.replay import Outcome, phh_files, replay_file, stacks_match

PHH = Path(__file__).resolve().parents[3] / "shared" / "phh"
FILES = sorted(phh_files([PHH])) if PHH.is_dir() else []


def test_the_shared_hand_histories_are_beside_the_checkout() -> None:
    assert len(FILES) == 89, f"expected the 89 hands of {PHH}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PHH)))
def test_real_hand_replays_to_its_finishing_stacks(path: Path) -> None:
    result = replay_file(path)
    assert result.outcome is Outcome.MATCH, result.reason


def test_replay_command_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["replay", str(PHH)])
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"replayed {len(FILES)} hands: {len(FILES)} match, 0 differ, 0 unsupported"
    assert status == 0


def test_replay_reports_a_hand_that_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.phh"
    good.write_text(
        "variant = 'NT'\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\n"
        "starting_stacks = [100, 100]\n"
        "actions = ['d dh p1 AsAd', 'd dh p2 7c2d', 'p2 cbr 10', 'p1 f']\n"
        "finishing_stacks = [98, 102]\n"
    )
    bad = tmp_path / "bad.phh"
    bad.write_text(good.read_text().replace("[98, 102]", "[99, 101]"))
    broken = tmp_path / "broken.phh"
    broken.write_text(good.read_text().replace("'p2 cbr 10'", "'p2 cbr 1000'"))
    odd = tmp_path / "odd.phh"
    odd.write_text("variant = 'XX'\nstarting_stacks = [1, 2]\nactions = []\n")
    status = main(["replay", str(tmp_path)])
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "replayed 4 hands: 1 match, 2 differ, 1 unsupported"
    assert any(line.startswith("differ: ") and "bad.phh" in line for line in out)
    assert any("broken.phh" in line and "between" in line for line in out)
    assert any(line.startswith("unsupported: ") and "odd.phh" in line for line in out)
    assert status == 1


def test_half_chip_split_is_compared_by_the_odd_chip_rule() -> None:
    assert stacks_match((10113, 9775, 10112), [10112.5, 9775.0, 10112.5])
    assert not stacks_match((10114, 9774, 10112), [10112.5, 9775.0, 10112.5])
    assert not stacks_match((10113, 9775, 10112), [10113, 9775, 10111])
