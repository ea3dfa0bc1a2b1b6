"""The shape of the services, as import-linter checks it (pyproject.toml, [tool.importlinter]):
no service imports another, libs/common imports none, a domain model does no I/O (imports no
outer layer of its service, and no database, broker or web library), views and the service layer
keep apart. ``make lint`` runs the same contracts; here they run in CI too."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _contract(name_start: str) -> dict[str, object]:
    return next(c for c in CONTRACTS if str(c["name"]).startswith(name_start))


def test_every_contract_is_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout, result.stdout


def test_the_contracts_name_every_service() -> None:
    services = sorted(path.name for path in (ROOT / "services").glob("*/src/awasi_*") if path.is_dir())
    with_a_domain = sorted(path.parent.name for path in (ROOT / "services").glob("*/src/awasi_*/domain"))
    assert len(services) >= 6 and len(with_a_domain) >= 5
    assert sorted(_contract("No service imports another")["modules"]) == services  # type: ignore[arg-type]
    assert set(services) <= set(_contract("libs/common imports no service")["forbidden_modules"])  # type: ignore[arg-type]
    for name_start, part in (
        ("A domain model does no I/O", "domain"),
        ("A domain model imports no database", "domain"),
        ("Views (reads)", "views"),
        ("The service layer (writes)", "service_layer"),
    ):
        sources = _contract(name_start)["source_modules"]
        assert sorted(sources) == [f"{service}.{part}" for service in with_a_domain], name_start  # type: ignore[arg-type]
