"""The pure parts of ``bench/main.py``: no PulseAudio, no subprocesses, well under a second."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from bench import main as bench
from bench.main import (
    HEADER,
    Row,
    cpu_percent,
    first_above,
    markdown_table,
    median,
    ms,
    onset_summary,
    parse_underruns,
    percentile,
    ratio,
    recording_start,
    spread,
    steady_cpu,
    thread_shares,
)

RATE = 48_000


def pcm(*samples: int) -> bytes:
    return struct.pack(f"<{len(samples)}h", *samples)


# -- onset detection in a synthetic recording -----------------------------------------------------


def test_first_above_finds_the_first_loud_sample_of_either_sign() -> None:
    assert first_above(pcm(0, 0, 5, -101, 300, 0), threshold=100) == 3
    assert first_above(pcm(0, 0, 0, 101), threshold=100) == 3


def test_first_above_ignores_samples_at_the_threshold_and_silence() -> None:
    assert first_above(pcm(100, -100, 0), threshold=100) is None
    assert first_above(b"", threshold=100) is None


def test_first_above_counts_from_the_buffer_start_when_given_a_start() -> None:
    data = pcm(500, 0, 0, 0, 700, 0)
    assert first_above(data, 100, start=1) == 4
    assert first_above(data, 100, start=0) == 0
    assert first_above(data, 100, start=5) is None


def test_first_above_ignores_a_trailing_odd_byte() -> None:
    assert first_above(pcm(0, 0) + b"\x7f", 100) is None


def test_first_above_handles_full_scale_negative_without_overflow() -> None:
    assert first_above(pcm(0, -32768), 32766) == 1


def test_a_clip_after_silence_is_found_where_it_starts() -> None:
    silence = [0] * RATE  # one second
    tone = [int(3000 * ((-1) ** (i // 24))) for i in range(480)]
    assert first_above(pcm(*silence, *tone), 100) == RATE


# -- the recording clock --------------------------------------------------------------------------


def test_recording_start_is_the_tightest_bound_over_the_reads() -> None:
    # Sample 0 was played at t = 10.0; reads arrive 10 ms apart, 0.3–3 ms after their last sample.
    delays = [0.003, 0.0003, 0.002, 0.001]
    reads = [(10.0 + (k + 1) * 0.01 + d, (k + 1) * 480) for k, d in enumerate(delays)]
    assert recording_start(reads) == pytest.approx(10.0003)


def test_recording_start_only_uses_reads_around_the_given_moment() -> None:
    # The clocks drifted by 20 ms over 100 s: early reads say 100.00, late ones 100.02.
    early = [(100.01, 480)]
    late = [(200.02, 4_800_000)]
    reads = early + late
    assert recording_start(reads) == pytest.approx(100.0)
    assert recording_start(reads, around=200.0) == pytest.approx(100.02)


def test_recording_start_falls_back_to_all_reads_and_refuses_none() -> None:
    reads = [(5.01, 480)]
    assert recording_start(reads, around=1000.0) == pytest.approx(5.0)
    with pytest.raises(ValueError):
        recording_start([])


# -- statistics and parsing -----------------------------------------------------------------------


def test_median_and_percentile() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile(list(range(101)), 95) == pytest.approx(95)
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    with pytest.raises(ValueError):
        median([])


def test_onset_summary_reports_max_p95_and_drift_in_ms_and_frames() -> None:
    summary = onset_summary([0, 48, -96, 24])
    assert summary.max_abs_ms == pytest.approx(2.0)
    assert summary.drift_ms == pytest.approx(0.5)
    assert summary.cues == 4
    assert summary.max_abs_frames == 96
    assert summary.drift_frames == 24
    assert 1.0 <= summary.p95_abs_ms <= 2.0
    with pytest.raises(ValueError):
        onset_summary([])


def test_parse_underruns_reads_the_last_report_line() -> None:
    assert parse_underruns("Done. 2:00 practised.\nunderruns: 0\n") == 0
    assert parse_underruns("underruns: 3") == 3
    assert parse_underruns("Done.\n") is None
    assert parse_underruns("the word underruns: many") is None


def test_cpu_percent_and_steady_window() -> None:
    assert cpu_percent(50, 10.0, clk_tck=100) == pytest.approx(5.0)
    samples = [(float(t), t * 10 if t < 10 else 100 + (t - 10)) for t in range(31)]
    # 10 ticks/s for the first 10 s (start-up), then 1 tick/s: 1 % of a core steady.
    assert steady_cpu(samples, skip=10, clk_tck=100) == pytest.approx(1.0)
    assert steady_cpu(samples[:5], skip=10, clk_tck=100) is None
    assert steady_cpu([], skip=10) is None


def test_thread_shares_names_the_main_thread_and_sorts_busiest_first() -> None:
    first = {7: ("ground", 0), 8: ("threaded-ml", 0), 9: ("ground", 10)}
    last = {7: ("ground", 1), 8: ("threaded-ml", 3), 9: ("ground", 30), 11: ("new", 5)}
    text = thread_shares(7, first, last, 10.0, clk_tck=100)
    assert text.split(", ") == [
        "ground 2.00 %",
        "threaded-ml 0.30 %",
        "main 0.10 %",
        "new 0.00 %",
    ]


# -- formatting -----------------------------------------------------------------------------------


def test_ms_ratio_and_spread_formatting() -> None:
    assert ms(0.1234) == "123 ms"
    assert ms(0.0042) == "4.2 ms"
    assert ratio(0.12, 0.04) == "3.00×"
    assert ratio(1.0, 0.0) == "—"
    assert spread([0.1], ms) == "100 ms"
    assert spread([0.1, 0.2, 0.3], ms) == "100 ms–300 ms, p95 290 ms"


def test_markdown_table_has_a_header_one_line_per_row_and_no_stray_pipes() -> None:
    rows = [
        Row("launch", "120 ms", "100 ms–140 ms", "10", "≤ 150 ms", "paplay 5 ms", "24.00×"),
        Row.failed("render", "RuntimeError: exit 1 | broken\nsecond line"),
    ]
    table = markdown_table(rows).splitlines()
    assert len(table) == 4
    assert table[0] == "| " + " | ".join(HEADER) + " |"
    assert set(table[1]) <= set("|-")
    assert all(line.count("|") == len(HEADER) + 1 for line in table)
    assert "| launch | 120 ms | 100 ms–140 ms | 10 | ≤ 150 ms | paplay 5 ms | 24.00× |" in table
    assert "failed: RuntimeError: exit 1 / broken second line" in table[3]


def test_a_failed_row_keeps_its_target_and_is_one_bounded_line() -> None:
    row = Row.failed("x", "a" * 500, target="≤ 1 %")
    assert row.median.startswith("failed: ")
    assert len(row.median) < 200
    assert row.target == "≤ 1 %"


def test_a_failing_section_becomes_failed_rows_and_the_run_goes_on(tmp_path: Path) -> None:
    state = bench.Bench(tmp_path, runs=1, long=False, pulse=None)

    def half_done() -> None:
        state.rows.append(Row("one", "1 ms"))
        raise RuntimeError("the sink went away")

    state.section([("one", "≤ 1"), ("two", "≤ 2")], half_done)
    assert [r.name for r in state.rows] == ["one", "two"]
    assert state.rows[0].median == "1 ms"
    assert state.rows[1].median == "failed: RuntimeError: the sink went away"
    assert state.rows[1].target == "≤ 2"


def test_peak_rss_of_this_process_is_read_from_proc() -> None:
    peak = bench.peak_rss_mb("self")
    assert peak is not None and peak > 1
    assert bench.peak_rss_mb(2**22 + 12345) is None
    assert os.getpid() in bench.thread_ticks(os.getpid())  # the main thread's id is the pid
