"""A database error says which statement failed, never with what values: its message is logged
(and recorded on the request's span), and the values are what people typed."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from awasi_common.db import create_engine, ensure_database

from .conftest import effects


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_failed_statement_names_no_value(backend: str, database_url: Any, tmp_path: Any) -> None:
    url = database_url("common") if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path / 'e.db'}"
    if not url.startswith(backend):
        pytest.skip(f"no {backend} here")
    await ensure_database(url)
    engine = create_engine(url)
    secret = "Budi Santoso, Jl. Melati 7"
    try:
        with pytest.raises(sa.exc.DBAPIError) as raised:
            async with engine.begin() as connection:  # the table was never made
                await connection.execute(sa.insert(effects).values(event_id="e1", key="k", note=secret))
        assert "INSERT INTO effect" in str(raised.value)
        assert secret not in str(raised.value) and "hidden due to hide_parameters" in str(raised.value)
    finally:
        await engine.dispose()
