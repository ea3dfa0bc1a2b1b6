"""The bench's pictures from a recorded run (bench/results/hold.json: the 10-minute hold)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PIL import Image

HOLD = Path(__file__).parents[2] / "bench" / "results" / "hold.json"


def test_the_hold_is_drawn_minute_by_minute_and_left_out_of_the_rate_plot(tmp_path: Path) -> None:
    # Imported here: every test process collects this file, and matplotlib costs ~0.5 s of CPU to
    # import; only the process that runs the test needs it.
    from bench.plot import SOAK, plot, plot_soak

    result = json.loads(HOLD.read_text())
    assert len(result["series"][SOAK]) == 10
    soak = plot_soak(result, tmp_path / "hold-soak.png")
    assert soak is not None
    with Image.open(soak) as image:
        assert image.size[0] > image.size[1] > 300
    without = copy.deepcopy(result)
    del without["series"][SOAK]
    # The rate plots are the same picture with or without the hold (its steps are all one rate).
    with_hold = plot(result, tmp_path / "hold.png").read_bytes()
    assert len(with_hold) > 10_000 and with_hold == plot(without, tmp_path / "without.png").read_bytes()
    # Without a hold there is no second picture.
    assert plot_soak(without, tmp_path / "none.png") is None
    assert not (tmp_path / "none.png").exists()
