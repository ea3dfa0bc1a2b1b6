"""The bench's pictures from a recorded run (bench/results/hold.json: the 10-minute hold)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PIL import Image

from bench.plot import SOAK, plot, plot_soak

HOLD = Path(__file__).parents[2] / "bench" / "results" / "hold.json"


def test_the_hold_is_drawn_minute_by_minute_and_left_out_of_the_rate_plot(tmp_path: Path) -> None:
    result = json.loads(HOLD.read_text())
    assert len(result["series"][SOAK]) == 10
    soak = plot_soak(result, tmp_path / "hold-soak.png")
    assert soak is not None
    with Image.open(soak) as image:
        assert image.size[0] > image.size[1] > 300
    rates = plot(result, tmp_path / "hold.png")
    assert rates.stat().st_size > 10_000
    # Without a hold there is no second picture.
    without = copy.deepcopy(result)
    del without["series"][SOAK]
    assert plot_soak(without, tmp_path / "none.png") is None
    assert not (tmp_path / "none.png").exists()
