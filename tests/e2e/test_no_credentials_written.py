"""No credential is written to spans, logs or metrics, whichever way it travelled: a token in
a query string, the Authorization header, a cookie, a webhook secret, a laporan's kode
rahasia. The services run on the real broker and PostgreSQL with their span files; the
process's log goes to a file, as `awasi up` writes it; then every file is searched."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from awasi_cli.testing import eventually
from awasi_common.auth import TokenIssuer
from awasi_common.telemetry import REDACTED, redact_logs

from .test_walking_skeleton import UNIT, kegiatan_body, laporan_body


@pytest.fixture
def log_file(platform_settings: Any) -> Any:
    """The process's log in a file under the data directory, redacted as a service process's is."""
    path: Path = platform_settings.data_dir / "logs" / "services.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    redact_logs()
    yield path
    root.removeHandler(handler)
    root.setLevel(previous)
    handler.close()


async def test_no_credential_reaches_a_span_a_log_or_a_metric(
    start_service: Any, platform_settings: Any, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWASI_NOTIFICATION_WEBHOOK_ALLOW_HTTP_LOOPBACK", "true")
    planning = await start_service("planning")
    reporting = await start_service("reporting")
    notification = await start_service("notification")
    issuer = TokenIssuer(platform_settings.dev_token_key)
    operator = issuer.issue(unit=UNIT, role="operator", subject="operator-kredensial")
    agency = issuer.issue(unit="35", role="agency", subject="kpu-kredensial")
    bearer = {"Authorization": f"Bearer {operator}"}
    cookie = "sesi=kue-rahasia-7f3a9c1e5b"
    credentials: dict[str, str] = {"token (header)": operator, "token (agency)": agency, "cookie": cookie}

    # Authorization header and a cookie on a write.
    created = await planning.post("/kegiatan", json=kegiatan_body(), headers={**bearer, "cookie": cookie})
    assert created.status_code == 201, created.text
    # A calendar feed token in the feed's query string, as calendar applications send it.
    viewer = {"Authorization": f"Bearer {issuer.issue(unit=UNIT, role='viewer', subject='kalender-kredensial')}"}
    made = await planning.post("/kegiatan/kalender/token", json={"label": "Kalender"}, headers=viewer)
    assert made.status_code == 201, made.text
    feed_token = made.json()["token"]
    credentials["token kalender (query)"] = feed_token
    feed = await planning.get(f"/kegiatan/kalender.ics?token={feed_token}&unit={UNIT}")
    assert feed.status_code == 200, feed.text
    # A laporan's kode rahasia, shown once, then used to look the status up.
    receipt = await reporting.post("/laporan", json=laporan_body())
    assert receipt.status_code == 201, receipt.text
    secret = receipt.json()["kode_rahasia"]
    credentials["kode rahasia"] = secret
    status = await reporting.post(
        "/laporan/status", json={"kode_pelacakan": receipt.json()["kode_pelacakan"], "kode_rahasia": secret}
    )
    assert status.status_code == 200, status.text
    looked_up = await reporting.get(f"/publik/status?kode={receipt.json()['kode_pelacakan']}&kode_rahasia={secret}")
    assert looked_up.status_code < 500
    # A webhook secret, handed out at registration and at rotation.
    hook = await notification.post(
        "/webhook",
        json={
            "lembaga": "KPU Provinsi Jawa Timur",
            "url": "http://127.0.0.1:9/terima",
            "jenis_event": ["awasi.KegiatanScheduled.v1"],
            "wilayah": "35",
        },
        headers={"Authorization": f"Bearer {agency}"},
    )
    assert hook.status_code == 201, hook.text
    credentials["webhook secret"] = hook.json()["rahasia"]
    rotated = await notification.post(
        f"/webhook/{hook.json()['id']}/rotasi-rahasia", headers={"Authorization": f"Bearer {agency}"}
    )
    assert rotated.status_code == 200, rotated.text
    credentials["webhook secret (rotated)"] = rotated.json()["rahasia"]
    # Failing requests are logged and traced too.
    bad = await planning.get("/kegiatan?token=" + feed_token, headers={"Authorization": "Bearer " + operator + "x"})
    assert bad.status_code == 401

    metrics = "".join([(await client.get("/metrics")).text for client in (planning, reporting, notification)])
    for app in start_service.apps.values():
        app.state.service.telemetry.tracer_provider.force_flush()
    traces = platform_settings.data_dir / "traces"

    async def kalender_span_written() -> bool:
        return "kalender.ics" in (traces / "planning.jsonl").read_text()

    await eventually(kalender_span_written, timeout=10)
    written = {
        path: path.read_text(errors="replace") for path in platform_settings.data_dir.rglob("*") if path.is_file()
    }
    written[Path("/metrics")] = metrics
    assert any(path.suffix == ".jsonl" for path in written) and log_file in written
    for name, value in credentials.items():
        found = [str(path) for path, text in written.items() if value in text]
        assert not found, f"{name} written to {found}"
    # The feed's span is there, with the URL redacted rather than dropped.
    assert REDACTED in written[traces / "planning.jsonl"]
    for path in traces.iterdir():
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
