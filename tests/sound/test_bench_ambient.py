"""The ambient benchmark's own arithmetic and a short real run (no sound card needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_ambient import AmbientCost, ambient_rows, block_costs, listen, main


def test_the_ratios_and_the_added_share_of_a_core() -> None:
    cost = AmbientCost(
        "waves", 2048, mixer_us=4.0, bed_us=10.0, with_us=20.0, p95_us=30.0, blocks=9
    )
    assert cost.ratio == pytest.approx(5.0)
    # 16 µs more per block, 23.4375 blocks a second: 375 µs a second, 0.0375 % of a core.
    assert cost.added_core_percent == pytest.approx(0.0375)
    assert cost.session_ratio(0.5) == pytest.approx(1.075)


def test_a_short_real_run_times_every_block() -> None:
    cost = block_costs("rain", blocks=60, block=1024)
    assert cost.blocks == 60
    assert 0 < cost.mixer_us <= cost.with_us  # the timed "with" includes the mixer's own call
    assert 0 < cost.bed_us < cost.with_us
    assert cost.p95_us >= cost.with_us


def test_the_table_has_a_row_pair_per_bed(capsys: pytest.CaptureFixture[str]) -> None:
    rows = ambient_rows(blocks=20, block=2048, session_percent=0.5)
    assert [r.name.split("`")[1] for r in rows] == [
        "waves",
        "waves",
        "rain",
        "rain",
        "brown",
        "brown",
    ]
    assert all(r.ratio.endswith("×") for r in rows)
    assert main(["--blocks", "10"]) == 0
    assert "session CPU with ambient `waves` (projected)" in capsys.readouterr().out


def test_listening_renders_every_bed_and_set_and_measures_them(tmp_path: Path) -> None:
    lines = listen(tmp_path, minutes=0.5)
    assert len(lines) == 2 + 3 + 3 * 2 + 3
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "ambient-waves.wav" in written
    assert "tones-wood-daily-sigh.wav" in written
    assert "bell-woodblock.wav" in written
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert -40.0 < float(cells[1]) < -12.0  # peak dBFS: heard, never near full scale
