"""Autogenerate a migration for one service: ``make migration SERVICE=planning MSG="..."``.

It upgrades a scratch SQLite database to the service's head and compares it with the
service's metadata, so the new revision holds only what changed.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
import tempfile
from pathlib import Path

from alembic import command

from awasi_common.migrations import alembic_config, upgrade


def main(service: str, message: str) -> None:
    bootstrap = importlib.import_module(f"awasi_{service}.bootstrap")
    migrations: Path = bootstrap.MIGRATIONS
    template = Path(importlib.import_module("awasi_common").__file__).parent / "migration_template.mako"  # type: ignore[arg-type]
    shutil.copy(template, migrations / "script.py.mako")
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        asyncio.run(upgrade(migrations, url))
        config = alembic_config(migrations, url)
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        number = len(list((migrations / "versions").glob("[0-9]*.py"))) + 1
        command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
