from __future__ import annotations

import datetime as dt

import pytest

from awasi_common.events import CATALOG, Envelope, UndecodableEvent, decode, encode
from awasi_common.events.reporting import LaporanSubmitted


def laporan() -> LaporanSubmitted:
    return LaporanSubmitted(
        unit="35.05",
        laporan_id="L1",
        kode_pelacakan="LP-1",
        kanal="web",
        diterima_pada=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )


def test_cloudevents_binary_headers_round_trip() -> None:
    event = laporan()
    envelope = Envelope.new(event)
    headers = envelope.headers()
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_type"] == "awasi.LaporanSubmitted.v1"
    assert headers["ce_subject"] == "L1" and headers["ce_unit"] == "35.05"
    parsed = Envelope.from_headers({k: v.encode() for k, v in headers.items()})
    assert parsed == envelope
    assert decode(parsed, encode(event)) == event


def test_undecodable_messages_are_named() -> None:
    envelope = Envelope.new(laporan())
    with pytest.raises(UndecodableEvent, match="schema"):
        decode(envelope, b'{"unit": "35.05"}')
    with pytest.raises(UndecodableEvent, match="missing"):
        Envelope.from_headers({"ce_specversion": "1.0"})
    unknown = Envelope(**{**envelope.__dict__, "type": "awasi.Nope.v1"})
    with pytest.raises(UndecodableEvent, match="unknown"):
        decode(unknown, encode(laporan()))


def test_every_event_declares_topic_key_and_unit() -> None:
    for ce_type, model in CATALOG.items():
        assert model.topic.startswith("awasi.") and model.topic.endswith(tuple(f".v{n}" for n in range(1, 10)))
        assert model.key_field in model.model_fields, ce_type
        assert "unit" in model.model_fields
