"""``python -m awasi_<service>`` with several worker processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from awasi_cli.testing import process_env


def test_several_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    env = process_env()
    env.update(
        {
            "AWASI_DATA_DIR": str(tmp_path),
            "AWASI_PLANNING_WORKERS": "2",
            "AWASI_PLANNING_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'planning.db'}",
        }
    )
    done = subprocess.run([sys.executable, "-m", "awasi_planning"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "AWASI_PLANNING_WORKERS=2 memerlukan PostgreSQL" in done.stderr
    assert not (tmp_path / "planning.db").exists()  # refused before anything was written
