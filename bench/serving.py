"""What the two comparison apps of the bench share: how they are served."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable


def serve(app: str, create_schema: Callable[[], Awaitable[None]], *, name: str, default_port: int) -> None:
    """Create the app's table, then serve ``app`` ("module:attribute") with uvicorn on
    ``BENCH_<NAME>_PORT`` with ``BENCH_<NAME>_WORKERS`` processes."""
    import uvicorn

    asyncio.run(create_schema())
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(os.environ.get(f"BENCH_{name}_PORT", str(default_port))),
        workers=int(os.environ.get(f"BENCH_{name}_WORKERS", "1")),
        log_level="warning",
        access_log=False,
    )
