"""Reporting's handlers on an in-memory unit of work: commands through the same
``CommandBus(HANDLERS, ...)`` the service runs, without a database or a broker. The events a
handler publishes are collected when it commits (and dropped when it does not)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections import Counter
from collections.abc import Sequence
from typing import Any, Self

import pytest

from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events import reporting as ev
from awasi_common.events.base import Event
from awasi_reporting import commands as c
from awasi_reporting.domain.idempotensi import KunciTerpakai, Rute
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.pelapor import BuktiInfo, Peristiwa, Saksi
from awasi_reporting.domain.pengawasan import BentukPencegahan, FormA, HasilPsap, Pencegahan, PenertibanApk, Psap
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import (
    OPEN_STATUSES,
    JenisPerkara,
    JenisPutusan,
    Kanal,
    Status,
    local_date,
)
from awasi_reporting.entrypoints.schemas_pengawasan import FormAIn, FormAKolektifIn
from awasi_reporting.service_layer.handlers import HANDLERS

from .test_domain import pelapor
from .test_figures import form_a_body

UNIT = "35.05"  # Kabupaten Blitar
KECAMATAN = "35.05.01"
PROVINSI = "35"


# --- The fakes --------------------------------------------------------------------------------------


class FakeLaporan:
    def __init__(self) -> None:
        self.rows: dict[str, Laporan] = {}
        self.bukti: dict[tuple[str, str], tuple[BuktiInfo, bytes]] = {}
        self.access: list[dict[str, Any]] = []

    async def add(self, laporan: Laporan) -> None:
        self.rows[laporan.id] = dataclasses.replace(laporan, events=[])

    async def save(self, laporan: Laporan) -> None:
        stored = self.rows[laporan.id]
        if stored.versi != laporan.versi:
            raise Conflict("changed meanwhile")
        laporan.versi += 1
        self.rows[laporan.id] = dataclasses.replace(laporan, events=[])

    async def get(self, laporan_id: str, *, with_identity: bool = False) -> Laporan | None:
        found = self.rows.get(laporan_id)
        if found is None:
            return None
        copy = dataclasses.replace(found, riwayat=list(found.riwayat), events=[])
        return copy if with_identity else dataclasses.replace(copy, pelapor=None, saksi=None)

    async def by_tracking_code(self, kode: str, *, with_identity: bool = False) -> Laporan | None:
        found = next((row for row in self.rows.values() if row.kode_pelacakan == kode), None)
        return await self.get(found.id, with_identity=with_identity) if found else None

    async def by_source(self, sumber_id: str) -> Laporan | None:
        return next((row for row in self.rows.values() if row.sumber_id == sumber_id), None)

    async def open_past_deadline(self, today: dt.date, limit: int = 500) -> list[Laporan]:
        return [
            row
            for row in self.rows.values()
            if row.tenggat and row.tenggat < today and row.status in OPEN_STATUSES and not row.tenggat_dialertkan
        ]

    async def add_bukti(self, laporan_id: str, info: BuktiInfo, content: bytes) -> None:
        self.bukti[(laporan_id, info.id)] = (info, content)
        self.rows[laporan_id].bukti.append(info)

    async def bukti_content(self, laporan_id: str, bukti_id: str) -> tuple[BuktiInfo, bytes] | None:
        return self.bukti.get((laporan_id, bukti_id))

    async def record_access(self, **entry: Any) -> None:
        self.access.append(entry)


class FakeTemuan:
    def __init__(self) -> None:
        self.rows: dict[str, Temuan] = {}

    async def add(self, temuan: Temuan) -> None:
        self.rows[temuan.id] = dataclasses.replace(temuan, events=[])

    async def save(self, temuan: Temuan) -> None:
        self.rows[temuan.id] = dataclasses.replace(temuan, events=[])

    async def get(self, temuan_id: str) -> Temuan | None:
        found = self.rows.get(temuan_id)
        return dataclasses.replace(found, riwayat=list(found.riwayat), events=[]) if found else None

    async def open_past_deadline(self, today: dt.date, limit: int = 500) -> list[Temuan]:
        return [row for row in self.rows.values() if row.tenggat and row.tenggat < today]


class FakeNomor:
    def __init__(self) -> None:
        self.last: Counter[tuple[str, str, int, Pemilihan]] = Counter()

    async def next(self, unit: str, jenis: str, tahun: int, pemilihan: Pemilihan = Pemilihan.PEMILU) -> int:
        self.last[(unit, jenis, tahun, pemilihan)] += 1
        return self.last[(unit, jenis, tahun, pemilihan)]

    async def reserve(self, jenis: str, tahun: int, counts: dict[str, int], pemilihan: Pemilihan) -> dict[str, int]:
        first = {}
        for unit, count in counts.items():
            first[unit] = self.last[(unit, jenis, tahun, pemilihan)] + 1
            self.last[(unit, jenis, tahun, pemilihan)] += count
        return first


class FakePengawasan:
    def __init__(self) -> None:
        self.form_a: dict[str, FormA] = {}
        self.records: list[Pencegahan | PenertibanApk] = []
        self.psap: dict[str, Psap] = {}

    async def add_form_a(self, *forms: FormA) -> None:
        self.form_a.update({form.id: form for form in forms})

    async def form_a_exists(self, form_a_id: str) -> str | None:
        form = self.form_a.get(form_a_id)
        return form.unit if form else None

    async def add_record(self, record: Pencegahan | PenertibanApk) -> None:
        self.records.append(record)

    async def add_psap(self, case: Psap) -> None:
        self.psap[case.id] = case

    async def save_psap(self, case: Psap) -> None:
        self.psap[case.id] = case

    async def get_psap(self, psap_id: str) -> Psap | None:
        found = self.psap.get(psap_id)
        return dataclasses.replace(found, events=[]) if found else None

    async def psap_past_deadline(self, today: dt.date, limit: int = 500) -> list[Psap]:
        return [case for case in self.psap.values() if case.status != "selesai" and case.tenggat < today]

    async def claim_psap_alert(self, psap_id: str) -> bool:
        case = self.psap[psap_id]
        claimed, case.tenggat_dialertkan = not case.tenggat_dialertkan, True
        return claimed


class FakeIdempotensi:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, Rute, str], KunciTerpakai] = {}

    async def get(self, subjek: str, rute: Rute, kunci: str) -> KunciTerpakai | None:
        return self.rows.get((subjek, rute, kunci))

    async def add(self, used: KunciTerpakai) -> None:
        assert (used.subjek, used.rute, used.kunci) not in self.rows
        self.rows[(used.subjek, used.rute, used.kunci)] = used

    async def forget_before(self, sebelum: dt.datetime) -> int:
        old = [k for k, used in self.rows.items() if used.dibuat_pada < sebelum]
        for k in old:
            del self.rows[k]
        return len(old)


class FakeStore:
    """What the database and the outbox would hold."""

    def __init__(self) -> None:
        self.laporan = FakeLaporan()
        self.temuan = FakeTemuan()
        self.nomor = FakeNomor()
        self.pengawasan = FakePengawasan()
        self.idempotensi = FakeIdempotensi()
        self.published: list[Event] = []


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.laporan = store.laporan
        self.temuan = store.temuan
        self.nomor = store.nomor
        self.pengawasan = store.pengawasan
        self.idempotensi = store.idempotensi
        self._pending: list[Event] = []

    async def __aenter__(self) -> Self:
        self._pending = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pending = []  # not committed: the events are not told

    async def statement_by_statement(self) -> bool:
        return False  # one transaction, as on SQLite

    def publish(self, *events: Event) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        self.store.published.extend(self._pending)
        self._pending = []


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def bus(store: FakeStore) -> CommandBus[Any]:
    return CommandBus(HANDLERS, lambda: FakeUnitOfWork(store))


def account(role: Role, unit: str = UNIT) -> Principal:
    return Principal(subject=f"{role.value}@{unit}", role=role, unit=unit)


PENANGANAN = account(Role.PENANGANAN)
PIMPINAN = account(Role.PIMPINAN)


def names(events: Sequence[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


def today() -> dt.date:
    return local_date(dt.datetime.now(dt.UTC), UNIT)


def submit(**overrides: Any) -> c.SubmitLaporan:
    fields: dict[str, Any] = dict(
        unit=UNIT,
        kanal=Kanal.WEB,
        pelapor=pelapor(),
        terlapor="Tim kampanye calon fiktif",
        peristiwa=Peristiwa(
            apa="Pembagian uang", tempat="Pasar Wlingi", waktu_kejadian=today(), waktu_diketahui=today()
        ),
        uraian="Pembagian uang disertai ajakan memilih.",
        saksi=(Saksi(nama="Budi Saksi"),),
    )
    fields.update(overrides)
    return c.SubmitLaporan(**fields)


# --- The map --------------------------------------------------------------------------------------------


def test_every_command_has_its_handler() -> None:
    defined = {
        cls
        for _, cls in inspect.getmembers(c, inspect.isclass)
        if dataclasses.is_dataclass(cls) and cls.__module__ == c.__name__
    }
    assert defined - set(HANDLERS) == {c.LaporanTahunan}  # the read spec of a draft, not a use case
    assert set(HANDLERS) <= defined


# --- A laporan from intake to its end --------------------------------------------------------------------


async def test_a_laporan_is_received_numbered_and_told(bus: CommandBus[Any], store: FakeStore) -> None:
    laporan, secret = await bus.handle(submit())
    assert secret and laporan.status is Status.DITERIMA
    assert laporan.nomor_tanda_terima.startswith("001/TT/PL/Kab/35.05/")
    assert names(store.published) == ["LaporanSubmitted", "PelaporNoticeRequested"]
    assert store.laporan.rows[laporan.id].kode_pelacakan == laporan.kode_pelacakan


async def test_staff_may_write_down_a_laporan_only_for_their_unit(bus: CommandBus[Any], store: FakeStore) -> None:
    with pytest.raises(Forbidden):
        await bus.handle(submit(kanal=Kanal.CALL_CENTER), account(Role.OPERATOR, "35.06"))
    assert store.published == [] and store.laporan.rows == {}
    laporan, _ = await bus.handle(submit(kanal=Kanal.CALL_CENTER), account(Role.OPERATOR))
    assert laporan.kanal is Kanal.CALL_CENTER


async def test_the_handling_steps_one_command_each(bus: CommandBus[Any], store: FakeStore) -> None:
    laporan, _ = await bus.handle(submit())
    store.published.clear()
    steps: list[object] = [
        c.MulaiKajianAwal(laporan.id),
        c.RegistrasiLaporan(laporan.id, catatan="Memenuhi syarat"),
        c.MulaiKlarifikasi(JenisPerkara.LAPORAN, laporan.id),
    ]
    for step in steps:
        laporan = await bus.handle(step, PENANGANAN)
    assert laporan.nomor_register.startswith("001/LP/PL/Kab/35.05/")
    decide = c.PutuskanPerkara(JenisPerkara.LAPORAN, laporan.id, JenisPutusan.PIDANA, "Unsur pidana terpenuhi")
    with pytest.raises(Forbidden):
        await bus.handle(decide, PENANGANAN)  # the members decide
    laporan = await bus.handle(decide, PIMPINAN)
    assert laporan.diteruskan_ke == "Sentra Gakkumdu"
    laporan = await bus.handle(c.TeruskanPerkara(JenisPerkara.LAPORAN, laporan.id, "001/PP/2024"), PENANGANAN)
    laporan = await bus.handle(c.SelesaikanPerkara(JenisPerkara.LAPORAN, laporan.id), PENANGANAN)
    assert laporan.status is Status.SELESAI
    assert [n for n in names(store.published) if n != "PelaporNoticeRequested"] == [
        "LaporanKajianAwalDimulai",
        "LaporanDiregistrasi",
        "LaporanKlarifikasiDimulai",
        "LaporanDiputus",
        "LaporanDiteruskan",
        "LaporanSelesai",
    ]
    # Every notice to the reporter is a recorded use of their contact.
    assert len(store.laporan.access) == 6


async def test_a_refused_registration_takes_no_number(bus: CommandBus[Any], store: FakeStore) -> None:
    laporan, _ = await bus.handle(submit(saksi=()))  # no evidence, no witness
    await bus.handle(c.MulaiKajianAwal(laporan.id), PENANGANAN)
    with pytest.raises(DomainError, match="belum memenuhi syarat"):
        await bus.handle(c.RegistrasiLaporan(laporan.id), PENANGANAN)
    assert not any(key[1] == "LP" for key in store.nomor.last)
    laporan = await bus.handle(c.MintaKelengkapan(laporan.id), PENANGANAN)
    assert laporan.kekurangan == ["bukti (berkas atau saksi)"]
    laporan = await bus.handle(c.CatatKelengkapan(laporan.id, saksi=(Saksi(nama="Ani"),)), PENANGANAN)
    laporan = await bus.handle(c.RegistrasiLaporan(laporan.id), PENANGANAN)
    assert laporan.status is Status.DIREGISTRASI


async def test_pelimpahan_goes_down_and_pengambilalihan_comes_from_above(
    bus: CommandBus[Any], store: FakeStore
) -> None:
    laporan, _ = await bus.handle(submit())
    with pytest.raises(DomainError, match="Pelimpahan hanya ke unit di bawah"):
        await bus.handle(c.LimpahkanPerkara(JenisPerkara.LAPORAN, laporan.id, PROVINSI, "Bukan di sini"), PENANGANAN)
    with pytest.raises(DomainError, match="Pengambilalihan hanya oleh unit di atas"):
        await bus.handle(
            c.AmbilAlihPerkara(JenisPerkara.LAPORAN, laporan.id, KECAMATAN, "Bukan atasan"),
            account(Role.PENANGANAN, PROVINSI),
        )
    with pytest.raises(Forbidden):  # the unit above takes over, not the handling unit
        await bus.handle(c.AmbilAlihPerkara(JenisPerkara.LAPORAN, laporan.id, PROVINSI, "Diambil alih"), PENANGANAN)
    laporan = await bus.handle(
        c.AmbilAlihPerkara(JenisPerkara.LAPORAN, laporan.id, PROVINSI, "Diambil alih provinsi"),
        account(Role.PENANGANAN, PROVINSI),
    )
    assert (laporan.unit, laporan.status) == (PROVINSI, Status.DILIMPAHKAN)
    laporan = await bus.handle(
        c.LimpahkanPerkara(JenisPerkara.LAPORAN, laporan.id, UNIT, "Kembali ke kabupaten"),
        account(Role.PENANGANAN, PROVINSI),
    )
    assert laporan.unit == UNIT
    dilimpahkan = [e for e in store.published if isinstance(e, ev.LaporanDilimpahkan)]
    assert [e.arah for e in dilimpahkan] == ["pengambilalihan", "pelimpahan"]


async def test_a_case_out_of_sight_is_not_found(bus: CommandBus[Any]) -> None:
    laporan, _ = await bus.handle(submit())
    with pytest.raises(NotFound, match=f"Laporan {laporan.id} tidak ditemukan"):
        await bus.handle(c.MulaiKajianAwal(laporan.id), account(Role.PENANGANAN, "35.06"))
    with pytest.raises(NotFound, match="Temuan x tidak ditemukan"):
        await bus.handle(c.SelesaikanPerkara(JenisPerkara.TEMUAN, "x"), PENANGANAN)


# --- Temuan, supervision records, deadlines ------------------------------------------------------------------


async def test_a_temuan_is_registered_at_once_and_handled_like_a_laporan(
    bus: CommandBus[Any], store: FakeStore
) -> None:
    peristiwa = Peristiwa(apa="Baliho di sekolah", tempat="SDN 1", waktu_kejadian=today(), waktu_diketahui=today())
    temuan = await bus.handle(
        c.CatatTemuan(UNIT, peristiwa, "Calon fiktif", "Baliho dipasang di halaman sekolah."), account(Role.PENGAWAS)
    )
    assert temuan.nomor_register.startswith("001/TM/PL/Kab/35.05/")
    temuan = await bus.handle(c.MulaiKlarifikasi(JenisPerkara.TEMUAN, temuan.id), PENANGANAN)
    assert isinstance(temuan, Temuan) and temuan.status is Status.KLARIFIKASI
    assert names(store.published) == ["TemuanDicatat", "TemuanKlarifikasiDimulai"]
    assert store.laporan.access == []  # a temuan has no reporter to notify


async def test_pencegahan_and_penertiban_share_one_handler(bus: CommandBus[Any], store: FakeStore) -> None:
    assert HANDLERS[c.CatatPencegahan] is HANDLERS[c.CatatPenertibanApk]
    pengawas = account(Role.PENGAWAS)
    with pytest.raises(DomainError, match="wajib menyebut pihak"):
        await bus.handle(c.CatatPencegahan(UNIT, BentukPencegahan.IMBAUAN, today(), None, "Netralitas ASN"), pengawas)
    record = await bus.handle(
        c.CatatPencegahan(UNIT, BentukPencegahan.IMBAUAN, today(), None, "Netralitas ASN", "Bupati Blitar"), pengawas
    )
    assert isinstance(record, Pencegahan) and record.oleh == "pengawas@35.05 (pengawas)"
    record = await bus.handle(c.CatatPenertibanApk(UNIT, today(), None, "Jl. Merdeka", 12), pengawas)
    assert isinstance(record, PenertibanApk)
    assert names(store.published) == ["PencegahanDicatat", "PenertibanApkDicatat"]
    assert len(store.pengawasan.records) == 2


async def test_deadlines_are_checked_by_the_service_or_an_admin(bus: CommandBus[Any], store: FakeStore) -> None:
    laporan, _ = await bus.handle(submit())
    with pytest.raises(Forbidden, match="Hanya admin"):
        await bus.handle(c.PeriksaTenggat(), PENANGANAN)
    later = laporan.tenggat + dt.timedelta(days=1)
    assert await bus.handle(c.PeriksaTenggat(today=later)) == 1
    assert await bus.handle(c.PeriksaTenggat(today=later), account(Role.ADMIN, "00")) == 0  # once per deadline
    alerts = [e for e in store.published if isinstance(e, ev.TenggatPenangananTerlewati)]
    assert [(a.perkara_id, a.tahap) for a in alerts] == [(laporan.id, "kajian_awal")]


async def test_a_collective_form_a_keeps_all_or_none(bus: CommandBus[Any], store: FakeStore) -> None:
    desa = "52.01.01.1001"
    pkd = account(Role.PENGAWAS, desa)
    forms = [form_a_body(f"{desa}.001"), form_a_body(f"{desa}.002"), form_a_body(f"{desa}.001")]
    beside = FormAKolektifIn.model_validate({"form_a": [*forms, form_a_body("52.01.01.1004.001")]})
    with pytest.raises(Forbidden) as refused:
        await bus.handle(beside.to_command(), pkd)
    assert "Form A ke-4" in refused.value.message
    assert store.pengawasan.form_a == {} and store.published == [] and not store.nomor.last

    penyampaian_id, filed = await bus.handle(FormAKolektifIn.model_validate({"form_a": forms}).to_command(), pkd)
    assert [form.nomor.split("/")[0] for form in filed] == ["001", "001", "002"]
    [event] = store.published
    assert isinstance(event, ev.HasilPengawasanKolektifDisampaikan) and event.penyampaian_id == penyampaian_id
    assert [summary.form_a_id for summary in event.form_a] == [form.id for form in filed]


async def test_a_form_a_sent_again_with_its_key_is_the_first_one(bus: CommandBus[Any], store: FakeStore) -> None:
    pengawas = account(Role.PENGAWAS)
    sent = FormAIn.model_validate(form_a_body(UNIT)).to_command("draf-1")
    first = await bus.handle(sent, pengawas)
    assert isinstance(first, FormA)
    again = await bus.handle(FormAIn.model_validate(form_a_body(UNIT)).to_command("draf-1"), pengawas)
    assert isinstance(again, KunciTerpakai) and again.form_a_ids == (first.id,)
    assert list(store.pengawasan.form_a) == [first.id]
    assert names(store.published) == ["HasilPengawasanDisampaikan"]  # told once
    assert sum(store.nomor.last.values()) == 1  # numbered once

    other = FormAIn.model_validate(
        form_a_body(UNIT, uraian_singkat="Isi lain dari Form A yang sama kuncinya.")
    ).to_command("draf-1")
    with pytest.raises(DomainError, match="Idempotency-Key") as refused:
        await bus.handle(other, pengawas)
    assert refused.value.field == "Idempotency-Key"
    # Another person, or the collective route, is another scope.
    elsewhere = await bus.handle(sent, account(Role.OPERATOR))
    assert isinstance(elsewhere, FormA) and elsewhere.id != first.id
    bulk = await bus.handle(c.SampaikanFormAKolektif((sent,), kunci_idempotensi="draf-1"), pengawas)
    assert isinstance(bulk, tuple)
    assert len(store.pengawasan.form_a) == 3 and len(store.idempotensi.rows) == 3

    # Past the retention the keys are forgotten; only an admin (or the job) forgets them.
    with pytest.raises(Forbidden):
        await bus.handle(c.LupakanKunciIdempotensi(dt.datetime.now(dt.UTC)), pengawas)
    assert await bus.handle(c.LupakanKunciIdempotensi(dt.datetime.now(dt.UTC) - dt.timedelta(days=7))) == 0
    assert await bus.handle(c.LupakanKunciIdempotensi(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))) == 3


async def test_a_psap_is_numbered_after_its_rules_and_finished_once(bus: CommandBus[Any], store: FakeStore) -> None:
    same = c.TerimaPsap(UNIT, Pemilihan.PEMILU, None, today(), "Partai A", "partai a", "Sengketa lokasi kampanye")
    with pytest.raises(DomainError, match="berbeda"):
        await bus.handle(same, PENANGANAN)
    assert not store.nomor.last  # a refusal takes no number
    case = await bus.handle(dataclasses.replace(same, termohon="Partai B"), account(Role.OPERATOR))
    assert case.nomor.startswith("001/PSAP/PL/Kab/35.05/")
    finished = c.SelesaikanPsap(case.id, HasilPsap.KESEPAKATAN, "Para pihak sepakat")
    with pytest.raises(Forbidden):
        await bus.handle(finished, account(Role.OPERATOR))
    await bus.handle(finished, PENANGANAN)
    with pytest.raises(Conflict, match="sudah selesai"):
        await bus.handle(finished, PENANGANAN)
    assert names(store.published) == ["PsapDiterima", "PsapSelesai"]
