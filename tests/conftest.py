"""The suite's order: the longest files first; the console's files together.

`make test` hands whole files to its processes (`--dist loadfile --no-loadscope-reorder`), the
next file to whichever process is nearly idle. A long file handed out last keeps one process
busy while the others have finished, so the files that take longest start first (the longest
processing time rule); the rest keep their order. Wall times measured on this 2-core machine
in `make test` (docs/operations.md, "The suite"): every file that took 8 s or more; a file missing
here only starts later.

The console's tests share one stack per process (a package-scoped fixture: identity, the four
services and the console on real ports). Handed out file by file, each process that drew one of
its files started a stack of its own, and three at once ran the shared PostgreSQL out of
connections: they go out as two units, the browser journeys and the rest, so at most two
stacks run (each service of a stack keeps at most 5 + 2 connections)."""

from __future__ import annotations

import gc
import os
from typing import Any

import pytest

from awasi_cli.testing import SUITE_SETTINGS

for _name, _value in SUITE_SETTINGS.items():  # cheap password hashes, for every process too
    os.environ.setdefault(_name, _value)

LONGEST_FIRST = (  # seconds of wall time each took in a make test of 2026-12-07
    "tests/console/test_journeys.py",  # 120, with test_journeys_pages.py (one unit: TOGETHER below)
    "tests/console/test_journeys_pages.py",
    "tests/fuzz/test_api_fuzz_reporting_1.py",  # 84
    "tests/cli/test_awasi_up.py",  # 72
    "tests/fuzz/test_api_fuzz_reporting_2.py",  # 72
    "tests/console/test_aliran.py",  # 63; the console's other files together: their unit's place
    "tests/reporting/test_rate_limit_processes.py",  # 57
    "tests/fuzz/test_api_fuzz_participation_1.py",  # 57
    "tests/fuzz/test_api_fuzz_participation_2.py",  # 56
    "tests/fuzz/test_api_fuzz_reporting_3.py",  # 52
    "tests/faults/test_faults_workers.py",  # 45
    "tests/faults/test_faults_broker.py",  # 40
    "tests/fuzz/test_api_fuzz_notification.py",  # 40
    "tests/fuzz/test_api_fuzz_planning.py",  # 31
    "tests/faults/test_faults_processes.py",  # 29
    "tests/identity/test_services_verify.py",  # 26
    "tests/fuzz/test_parsers.py",  # 24
    "tests/reporting/test_handling.py",  # 23
    "tests/cli/test_up_lifecycle.py",  # 23
    "tests/reporting/test_form_a_idempotensi.py",  # 21
    "tests/reporting/test_rezim.py",  # 21
    "tests/notification/test_webhooks.py",  # 18
    "tests/notification/test_inbox_stream.py",  # 18
    "tests/planning/test_events.py",  # 18
    "tests/identity/test_signin.py",  # 17
    "tests/identity/test_cli_akun.py",  # 17
    "tests/common/test_auth_keycloak.py",  # 16
    "tests/reporting/test_dokumen_resmi.py",  # 15
    "tests/cli/test_launcher.py",  # 15
    "tests/e2e/test_walking_skeleton.py",  # 14
    "tests/e2e/test_access_matrix.py",  # 14
    "tests/participation/test_programs.py",  # 14
    "tests/reporting/test_figures.py",  # 14
    "tests/notification/test_email_alerts.py",  # 14
    "tests/notification/test_reminders.py",  # 12
    "tests/common/test_production_defaults.py",  # 12
    "tests/planning/test_reading_api.py",  # 12
    "tests/identity/test_agency_clients.py",  # 12
    "tests/reporting/test_browser.py",  # 12
    "tests/participation/test_kegiatan.py",  # 12
    "tests/reporting/test_one_statement.py",  # 12
    "tests/reporting/test_form_text.py",  # 11
    "tests/planning/test_ubah.py",  # 11
    "tests/common/test_edge.py",  # 10
    "tests/identity/test_tokens.py",  # 10
    "tests/planning/test_import_api.py",  # 10
    "tests/participation/test_kampung_obligations.py",  # 9
    "tests/reporting/test_identity_never_in_clear.py",  # 8
    "tests/participation/test_obligations.py",  # 8
)
_RANK = {path: rank for rank, path in enumerate(LONGEST_FIRST)}


TOGETHER = ("tests/console/test_journeys", "tests/console/")
"""Files whose paths start alike run in one process, one after the other: a file goes with the
first of these its path starts with (the browser journeys, then the console's other files)."""


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesAndTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return next((unit for unit in TOGETHER if path.startswith(unit)), path)

    return FilesAndTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: _RANK.get(item.nodeid.split("::", 1)[0], len(LONGEST_FIRST)))


GC_THRESHOLDS = (10_000, 50, 50)
"""The test processes' cyclic garbage collector: what was imported and collected is frozen (never
traversed again), and the youngest generation is collected after 10,000 allocations, not 700.
The fuzz of reporting's API and of the parsers with a test of reporting's handling: 2.72 s of
24 s in the collector at Python's defaults, 1.12 s so. The services the suite starts as
processes keep Python's defaults."""


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


RERUN_REASON_CHARS = 4000


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Why each rerun test failed its first try (`-rR` names them only): a timing that slipped
    on two busy cores is told from a fault that only shows sometimes, from CI's log alone."""
    reruns = terminalreporter.stats.get("rerun", [])
    if not reruns:
        return
    terminalreporter.section("why the rerun tests failed their first try")
    for report in reruns:
        text = report.longreprtext or "(no report)"
        if len(text) > RERUN_REASON_CHARS:
            text = "…\n" + text[-RERUN_REASON_CHARS:]
        terminalreporter.write_line(f"{report.nodeid} ({report.when}):")
        terminalreporter.write_line(text)
