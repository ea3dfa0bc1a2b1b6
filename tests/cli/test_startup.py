"""The ``awasi`` command starts quickly: each command imports what it uses, not the services'
web framework, Kafka client, database toolkit or region data (1.4 s of CPU before, per command)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("fastapi", "faststream", "aiokafka", "sqlalchemy", "lokal")


def test_the_command_line_loads_no_service_machinery_until_a_command_needs_it() -> None:
    probe = f"import sys, awasi_cli.main; print(' '.join(m for m in {HEAVY} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == [], f"`awasi` imports at start: {loaded.stdout}"
