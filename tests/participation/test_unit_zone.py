"""Issue 13, item 4, for participation: a unit's obligations, opening hours and "not in the
future" checks run on its own clock (WIB, WITA or WIT by province), not on WIB for everyone.

The moment used throughout: 31 May 2026 15:30 UTC is 22:30 WIB on 31 May in Blitar (35.05) and
00:30 WIT on 1 June in Kota Jayapura (91.71). May's pemantauan of a Kab/Kota is due on 31 May
(Pasal 30 ayat (3) huruf c Perbawaslu 2/2023, once a month): at that moment it has passed in
Jayapura and not yet in Blitar."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Program
from awasi_participation.domain.base import today_in
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, StatusKegiatan
from awasi_participation.domain.obligations import StatusKewajiban, kewajiban_pemantauan
from awasi_participation.domain.rincian import PojokRincian
from awasi_participation.service_layer import obligations

MOMENT = dt.datetime(2026, 5, 31, 15, 30, tzinfo=dt.UTC)
WIB_KAB, WIT_KOTA = "35.05", "91.71"


def test_today_is_the_units_own_date() -> None:
    assert today_in(WIB_KAB, MOMENT) == dt.date(2026, 5, 31)
    assert today_in("63.01", MOMENT) == dt.date(2026, 5, 31)  # 23:30 WITA
    assert today_in(WIT_KOTA, MOMENT) == dt.date(2026, 6, 1)


def test_an_obligation_falls_due_at_midnight_of_its_own_unit() -> None:
    def may(unit: str) -> Any:
        found = kewajiban_pemantauan(unit, sejak=dt.date(2026, 5, 1), sampai=dt.date(2026, 5, 31), tanggal=[])
        return found[0]

    assert may(WIB_KAB).batas_waktu == may(WIT_KOTA).batas_waktu == dt.date(2026, 5, 31)
    assert may(WIB_KAB).status_at(MOMENT) == StatusKewajiban.BERJALAN
    assert may(WIT_KOTA).status_at(MOMENT) == StatusKewajiban.TERLEWAT


def test_a_pojok_is_open_by_the_clock_of_its_unit() -> None:
    pojok = PojokRincian.model_validate(
        {
            "tempat": "kantor",
            "alamat": "Jl. Percobaan 1",
            "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "16:00"}],
        }
    )
    monday_0030_utc = dt.datetime(2026, 6, 15, 0, 30, tzinfo=dt.UTC)  # 07:30 WIB, 09:30 WIT
    assert not pojok.buka_pada(monday_0030_utc, WIB_KAB)
    assert pojok.buka_pada(monday_0030_utc, WIT_KOTA)


def test_attendance_is_taken_on_the_units_own_day() -> None:
    # A kegiatan on 1 June in Jayapura: at 00:30 WIT on 1 June it has begun there.
    kegiatan = KegiatanProgram(
        kegiatan_id="k1",
        unit=WIT_KOTA,
        program=Program.FORUM_WARGA,
        judul="Forum Warga Abepura",
        mulai=dt.date(2026, 6, 1),
        selesai=dt.date(2026, 6, 1),
        status=StatusKegiatan.SCHEDULED,
        program_id="p1",
    )
    peserta = Peserta.daftar(
        kegiatan, terdaftar=0, nama="Yohana", sasaran="pemilih_pemula", program_sasaran=None, now=MOMENT
    )
    assert peserta.hadir(kegiatan, MOMENT) is True
    elsewhere = KegiatanProgram(**{**kegiatan.__dict__, "kegiatan_id": "k2", "unit": WIB_KAB})
    peserta = Peserta.daftar(
        elsewhere, terdaftar=0, nama="Sri", sasaran="pemilih_pemula", program_sasaran=None, now=MOMENT
    )
    with pytest.raises(DomainError):  # still 31 May in Blitar
        peserta.hadir(elsewhere, MOMENT)


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the test's own: on the shared one the service also reads other tests'
    kegiatan and programs, and computes obligations for their units too."""
    return private_broker


@pytest.fixture
def idle_obligation_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's own evaluator stays idle (it would run on today's clock), in a group of its own."""
    monkeypatch.setenv("AWASI_PARTICIPATION_OBLIGATION_FIRST_RUN_SECONDS", "3600")
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.test-{uuid.uuid4().hex[:8]}")


async def test_obligations_are_computed_and_raised_on_each_units_date(
    idle_obligation_job: None, start_service, tokens
) -> None:
    svc = await start_service("participation")
    for unit in (WIB_KAB, WIT_KOTA):
        answer = await svc.post(
            "/pemantauan",
            json={"unit": unit, "tanggal": "2026-04-10", "ringkasan": "Pemantauan Forum Warga bulan April"},
            headers=tokens(unit),
        )
        assert answer.status_code == 201, answer.text
    uow_factory = start_service.apps["participation"].state.uow_factory

    async with uow_factory() as uow:
        found = await obligations.compute(uow.session, now=MOMENT)
    may = {k.unit: k for k in found if k.periode == "2026-05"}
    assert may[WIB_KAB].status_at(MOMENT) == StatusKewajiban.BERJALAN
    assert may[WIT_KOTA].status_at(MOMENT) == StatusKewajiban.TERLEWAT
    # June has begun in Jayapura, not yet in Blitar.
    assert {k.unit for k in found if k.periode == "2026-06"} == {WIT_KOTA}

    raised = await obligations.evaluate(uow_factory, now=MOMENT, lookback_days=1000)
    assert [(k.unit, k.periode) for k in raised] == [(WIT_KOTA, "2026-05")]
    later = MOMENT + dt.timedelta(hours=2)  # 00:30 WIB on 1 June: Blitar's May has passed too
    raised = await obligations.evaluate(uow_factory, now=later, lookback_days=1000)
    assert [(k.unit, k.periode) for k in raised] == [(WIB_KAB, "2026-05")]
