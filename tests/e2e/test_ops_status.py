"""An operator's view of a running service: outbox backlog and consumer lag."""

from __future__ import annotations

from awasi_cli.testing import eventually

from .test_walking_skeleton import UNIT, kegiatan_body


async def test_status_shows_outbox_and_consumer_lag(start_service, tokens) -> None:
    planning = await start_service("planning")
    notification = await start_service("notification")
    admin = tokens("00", "admin")

    assert (await notification.get("/ops/status", headers=tokens(UNIT))).status_code == 403
    created = await planning.post("/kegiatan", json=kegiatan_body(), headers=tokens(UNIT))
    assert created.status_code == 201

    async def drained() -> dict | None:
        # Handling an event writes notification's own events (deliveries) to its outbox: the
        # status shows them pending until its relay has published them, then none.
        status = (await notification.get("/ops/status", headers=admin)).json()
        group = status["consumers"]["awasi.notification"]
        done = group["handled"] >= 1 and group["lag"] == 0 and status["outbox"]["pending"] == 0
        return status if done else None

    status = await eventually(drained, timeout=30, interval=0.5)
    assert status["error"] is None
    assert isinstance(status["consumers"]["awasi.notification"]["dead_letters_on_topic"], int)
    planning_status = (await planning.get("/ops/status", headers=admin)).json()
    assert planning_status["outbox"]["pending"] == 0
    assert set(planning_status["consumers"]) == {"awasi.planning"}  # it hears identity's disabled accounts
    metrics = (await notification.get("/metrics")).text
    assert "awasi_consumer_lag" in metrics and "awasi_outbox_pending" in metrics and "awasi_dead_letters" in metrics
