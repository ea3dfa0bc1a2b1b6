"""Participation's handlers through the same CommandBus the service uses, on an in-memory unit
of work: no database, no broker. The repository keeps aggregates in dicts and the unit of work
collects the events a commit would have written to the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from awasi_cli import testing
from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope
from awasi_common.events.participation import (
    KampungKomunikasiRecorded,
    LaporanPojokDiterimaV2,
    PelaporPojok,
    PemantauanRecorded,
    PesertaAttended,
    PesertaRegistered,
    PojokKonsultasiRecorded,
    ProgramFormed,
    TindakLanjutRecorded,
    UmpanBalikReceived,
)
from awasi_common.sealing import KeyRing
from awasi_common.vocabulary import Divisi, Program
from awasi_participation.commands import (
    AturKapasitas,
    BentukProgram,
    BeriUmpanBalik,
    CatatKehadiran,
    CatatKomunikasi,
    CatatKonsultasi,
    CatatPemantauan,
    CatatPengembangan,
    CatatTindakLanjut,
    DaftarPeserta,
    LaporanPojok,
    TautkanProgram,
    TetapkanIndikator,
)
from awasi_participation.domain.base import today_in
from awasi_participation.domain.kampung import PengembanganKampung
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, StatusKegiatan, UmpanBalik
from awasi_participation.domain.pemantauan import Pemantauan, PemantauanRef
from awasi_participation.domain.penilaian import Indikator, IndikatorSet, Penilaian
from awasi_participation.domain.program import KomunikasiKampung, Konsultasi, ProgramPartisipatif
from awasi_participation.domain.rincian import dari_bagian
from awasi_participation.domain.rules import JenisKomunikasi, JenisKonsultasi, MediaTindakLanjut
from awasi_participation.service_layer.handlers import HANDLERS, track_program_kegiatan

KAB = "35.05"
TODAY = today_in(KAB)
POJOK = {
    "tempat": "kantor",
    "alamat": "Jl. Contoh 1, Blitar",
    "jam_buka": [{"hari": d, "buka": "00:00", "tutup": "23:59"} for d in ("senin", "selasa", "rabu", "kamis")],
}
KAMPUNG = {
    "desa": "35.05.01.2001",
    "kelompok_masyarakat": ["Karang Taruna Jaten"],
    "pemetaan_kerawanan": {
        "kategori": "tinggi",
        "sumber_ikp": "IKP Pemilu 2024",
        "tanggal": TODAY - dt.timedelta(days=30),
    },
    "analisis_kesiapan": {
        "tanggal": TODAY - dt.timedelta(days=10),
        "kesiapan_pelaksanaan": "Relawan siap",
        "kesiapan_perangkat_desa": "Kepala desa mendukung",
    },
}


class FakeRepository:
    """What the handlers ask of the repository, kept in memory."""

    def __init__(self) -> None:
        self.programs: dict[str, ProgramPartisipatif] = {}
        self.kegiatan: dict[str, KegiatanProgram] = {}
        self.peserta: dict[str, Peserta] = {}
        self.umpan_balik: dict[str, UmpanBalik] = {}
        self.konsultasi: list[Konsultasi] = []
        self.komunikasi: list[KomunikasiKampung] = []
        self.pengembangan: list[PengembanganKampung] = []
        self.pemantauan: list[Pemantauan] = []
        self.pojok_laporan: list[str] = []
        self.active: dict[str, dt.date] = {}
        self.indikator_sets: dict[str, IndikatorSet] = {}
        self.penilaian: dict[str, Penilaian] = {}

    async def add_program(self, record: ProgramPartisipatif, dibentuk_oleh: str) -> None:
        self.programs[record.id] = record

    async def get_program(self, program_id: str) -> ProgramPartisipatif | None:
        return self.programs.get(program_id)

    async def link_unlinked_kegiatan(self, record: ProgramPartisipatif) -> int:
        waiting = [k for k in self.kegiatan.values() if k.program == record.program and k.program_id is None]
        for k in waiting:
            k.program_id = record.id
        return len(waiting)

    async def programs_serving(self, unit: str, program: Program) -> list[ProgramPartisipatif]:
        return [p for p in self.programs.values() if p.program == program and p.serves(unit)]

    async def save_program_kegiatan(self, kegiatan_id: str, values: dict[str, Any], *, new: bool) -> None:
        kept = self.kegiatan.get(kegiatan_id)
        fields = {name: values[name] for name in ("unit", "judul", "mulai", "selesai", "target_peserta")}
        self.kegiatan[kegiatan_id] = KegiatanProgram(
            kegiatan_id=kegiatan_id,
            program=Program(values["program"]),
            status=StatusKegiatan(values["status"]),
            program_id=values.get("program_id", kept.program_id if kept else None),
            tautan_manual=values.get("tautan_manual", kept.tautan_manual if kept else False),
            **fields,
        )

    async def mark_active(self, unit: str, sejak: dt.date) -> None:
        self.active[unit] = min(self.active.get(unit, sejak), sejak)

    async def add_konsultasi(self, k: Konsultasi) -> None:
        self.konsultasi.append(k)

    async def add_pojok_laporan(
        self, laporan_id: str, program_id: str, unit: str, diterima_pada: dt.datetime, peristiwa_apa: str
    ) -> None:
        self.pojok_laporan.append(laporan_id)

    async def add_komunikasi(self, k: KomunikasiKampung) -> None:
        self.komunikasi.append(k)

    async def kampung_of(self, unit: str) -> dict[str, dt.date]:
        return {
            p.id: p.dibentuk_pada
            for p in self.programs.values()
            if p.unit == unit and p.program == Program.KAMPUNG_PENGAWASAN
        }

    async def add_pengembangan(self, p: PengembanganKampung, *, oleh: str) -> None:
        self.pengembangan.append(p)

    async def add_pemantauan(self, p: Pemantauan) -> None:
        self.pemantauan.append(p)

    async def get_kegiatan(self, kegiatan_id: str, *, for_update: bool = False) -> KegiatanProgram | None:
        found = self.kegiatan.get(kegiatan_id)
        return replace(found) if found else None

    async def save_kegiatan_link(self, kegiatan: KegiatanProgram) -> None:
        self.kegiatan[kegiatan.kegiatan_id] = kegiatan

    async def count_peserta(self, kegiatan_id: str) -> int:
        return sum(p.kegiatan_id == kegiatan_id for p in self.peserta.values())

    async def email_registered(self, kegiatan_id: str, email: str) -> bool:
        return any(p.kegiatan_id == kegiatan_id and p.email == email for p in self.peserta.values())

    async def add_peserta(self, p: Peserta) -> None:
        self.peserta[p.id] = p

    async def peserta_by_code(self, kegiatan_id: str, kode: str, *, for_update: bool = False) -> Peserta | None:
        return next(
            (p for p in self.peserta.values() if p.kegiatan_id == kegiatan_id and p.kode_hadir == kode.upper()),
            None,
        )

    async def save_kehadiran(self, p: Peserta) -> None:
        self.peserta[p.id] = p

    async def add_indikator_set(self, indikator_set: IndikatorSet) -> None:
        self.indikator_sets[indikator_set.id] = indikator_set

    async def get_penilaian(self, penilaian_id: str, *, for_update: bool = False) -> Penilaian | None:
        return self.penilaian.get(penilaian_id)

    async def save_tindak_lanjut(self, penilaian: Penilaian) -> None:
        self.penilaian[penilaian.id] = penilaian

    async def has_umpan_balik(self, peserta_id: str) -> bool:
        return peserta_id in self.umpan_balik

    async def add_umpan_balik(self, u: UmpanBalik) -> None:
        self.umpan_balik[u.peserta_id] = u


class FakeUnitOfWork(testing.FakeUnitOfWork):
    """One shared repository; events reach ``published`` only when the handler commits."""

    def __init__(self, repo: FakeRepository, published: list[Event]) -> None:
        super().__init__(published)
        self.repo = repo
        self.pojok_identity = KeyRing(["a key for the fake unit of work"])


class Fake:
    def __init__(self) -> None:
        self.repo = FakeRepository()
        self.published: list[Event] = []
        self.bus: CommandBus[Any] = CommandBus(HANDLERS, lambda: FakeUnitOfWork(self.repo, self.published))

    def events(self, kind: type[Event]) -> Sequence[Any]:
        return [e for e in self.published if isinstance(e, kind)]


def operator(unit: str = KAB, divisi: Divisi | None = Divisi.P2H) -> Principal:
    """The unit's operator; a member of its P2H divisi (who forms and runs the programs) unless
    ``divisi`` says otherwise."""
    return Principal(subject=f"operator-{unit}", role=Role.OPERATOR, unit=unit, divisi=divisi)


def bentuk(program: Program, unit: str = KAB, **sections: Any) -> BentukProgram:
    return BentukProgram(
        unit=unit,
        program=program,
        nama=f"{program.nama} {unit}",
        dibentuk_pada=TODAY,
        rincian=dari_bagian(program, sections),
    )


@pytest.fixture
def fake() -> Fake:
    return Fake()


async def test_a_pojok_formed_logs_consultations_and_hands_reports_on(fake: Fake) -> None:
    pojok = await fake.bus.handle(bentuk(Program.POJOK_PENGAWASAN, pojok_pengawasan=POJOK), operator())
    assert fake.repo.programs[pojok.id] is pojok and fake.repo.active == {KAB: TODAY}
    (formed,) = fake.events(ProgramFormed)
    assert formed.tempat == "kantor: Jl. Contoh 1, Blitar" and formed.program_id == pojok.id

    now = dt.datetime.now(dt.UTC)
    konsultasi = await fake.bus.handle(
        CatatKonsultasi(program_id=pojok.id, jenis=JenisKonsultasi.KONSULTASI, waktu=now, topik="Cara melapor"),
        operator(),
    )
    assert fake.repo.konsultasi == [konsultasi]
    assert [e.konsultasi_id for e in fake.events(PojokKonsultasiRecorded)] == [konsultasi.id]

    laporan = LaporanPojok(
        program_id=pojok.id,
        pelapor=PelaporPojok(nama="Budi Warga"),
        terlapor="Tim sukses",
        peristiwa_apa="Pembagian uang",
        peristiwa_tempat="Pasar",
        waktu_kejadian=TODAY - dt.timedelta(days=1),
        waktu_diketahui=TODAY,
        uraian="Uang dibagikan.",
        saksi=("Siti",),
    )
    event = await fake.bus.handle(laporan, operator())
    assert fake.events(LaporanPojokDiterimaV2) == [event] and fake.repo.pojok_laporan == [event.laporan_pojok_id]
    assert "Budi" not in event.model_dump_json()

    # Another unit's operator neither sees the Pojok nor acts on it; nothing is written.
    with pytest.raises(NotFound):
        await fake.bus.handle(replace(laporan, uraian="lagi"), operator("35.06"))
    assert len(fake.repo.pojok_laporan) == 1


async def test_a_refused_program_writes_and_publishes_nothing(fake: Fake) -> None:
    with pytest.raises(DomainError) as refused:
        await fake.bus.handle(bentuk(Program.KOMUNITAS_DIGITAL), operator())
    assert refused.value.pasal == "Pasal 28 ayat (1) Perbawaslu Nomor 2 Tahun 2023"
    with pytest.raises(Forbidden):
        await fake.bus.handle(bentuk(Program.FORUM_WARGA, forum_warga={}), operator("35.06"))
    with pytest.raises(Forbidden):  # a signed-in user is needed
        await fake.bus.handle(bentuk(Program.PENDIDIKAN_PENGAWAS_PARTISIPATIF))
    assert not fake.repo.programs and not fake.published


async def test_forming_and_running_a_program_needs_the_p2h_divisi_of_its_unit(fake: Fake) -> None:
    """Pasal 4 Perbawaslu 2/2023: the unit's P2H member coordinates the participatory programs."""
    for refused_by in (operator(divisi=Divisi.HPS), operator(divisi=None), operator("35.06")):
        with pytest.raises(Forbidden) as refused:
            await fake.bus.handle(bentuk(Program.FORUM_WARGA, forum_warga={"metode": "dialogis"}), refused_by)
        if refused_by.unit == KAB:
            assert refused.value.pasal == "Pasal 4 Perbawaslu 2/2023"
            assert "Pasal 4 Perbawaslu 2/2023" in refused.value.message and "P2H" in refused.value.message
    assert not fake.repo.programs and not fake.published
    pojok = await fake.bus.handle(bentuk(Program.POJOK_PENGAWASAN, pojok_pengawasan=POJOK), operator())
    running = CatatKonsultasi(
        program_id=pojok.id, jenis=JenisKonsultasi.KONSULTASI, waktu=dt.datetime.now(dt.UTC), topik="Cara melapor"
    )
    with pytest.raises(Forbidden, match="Pasal 4 Perbawaslu 2/2023"):
        await fake.bus.handle(running, operator(divisi=Divisi.SDMO))
    assert not fake.repo.konsultasi
    # The platform's admins (the unit's own, RI's anywhere) may act, as with role requirements.
    admin = Principal(subject="admin", role=Role.ADMIN, unit=KAB)
    assert await fake.bus.handle(running, admin)
    assert await fake.bus.handle(running, Principal(subject="root", role=Role.ADMIN, unit="00"))


async def test_a_kampung_keeps_its_log_and_its_development(fake: Fake) -> None:
    kampung = await fake.bus.handle(bentuk(Program.KAMPUNG_PENGAWASAN, kampung=KAMPUNG), operator())
    assert kampung.rincian.pemetaan_kerawanan.tahun_ikp == 2024
    komunikasi = await fake.bus.handle(
        CatatKomunikasi(
            program_id=kampung.id,
            jenis=JenisKomunikasi.KOORDINASI,
            tanggal=TODAY,
            pihak=("Kepala Desa",),
            ringkasan="Rencana patroli",
        ),
        operator(),
    )
    assert [e.komunikasi_id for e in fake.events(KampungKomunikasiRecorded)] == [komunikasi.id]

    develop = CatatPengembangan(
        unit=KAB, tanggal=TODAY, kampung_dievaluasi=(), hasil_evaluasi="Baik", pengembangan_inovasi="Patroli digital"
    )
    with pytest.raises(DomainError) as refused:
        await fake.bus.handle(develop, operator())
    assert refused.value.field == "kampung_dievaluasi" and refused.value.pasal
    recorded = await fake.bus.handle(replace(develop, kampung_dievaluasi=(kampung.id,)), operator())
    assert fake.repo.pengembangan == [recorded]


async def test_peserta_register_check_in_and_give_feedback(fake: Fake) -> None:
    fake.repo.kegiatan["k1"] = KegiatanProgram(
        kegiatan_id="k1",
        unit=KAB,
        program=Program.FORUM_WARGA,
        judul="Forum Warga Jaten",
        mulai=TODAY,
        selesai=TODAY,
        status=StatusKegiatan.SCHEDULED,
    )
    forum = await fake.bus.handle(
        bentuk(Program.FORUM_WARGA, forum_warga={"metode": "dialogis", "pertemuan": ["tatap_muka"]}), operator()
    )
    assert fake.repo.kegiatan["k1"].program_id == forum.id  # the waiting kegiatan was linked
    await fake.bus.handle(TautkanProgram(kegiatan_id="k1", program_id=forum.id), operator())
    await fake.bus.handle(AturKapasitas(kegiatan_id="k1", kapasitas=1), operator())

    peserta = await fake.bus.handle(DaftarPeserta(kegiatan_id="k1", nama="Sri", sasaran="pemilih_pemula"))
    with pytest.raises(Conflict):  # the one seat is taken
        await fake.bus.handle(DaftarPeserta(kegiatan_id="k1", nama="Ani", sasaran="pemilih_pemula"))
    with pytest.raises(DomainError):  # feedback comes from those who attended
        await fake.bus.handle(BeriUmpanBalik(kegiatan_id="k1", kode_hadir=peserta.kode_hadir, pemahaman_meningkat=True))

    checked_in, recorded = await fake.bus.handle(CatatKehadiran(kegiatan_id="k1", kode_hadir=peserta.kode_hadir))
    again, recorded_again = await fake.bus.handle(CatatKehadiran(kegiatan_id="k1", kode_hadir=peserta.kode_hadir))
    assert recorded and not recorded_again and checked_in.hadir_pada == again.hadir_pada
    feedback = await fake.bus.handle(
        BeriUmpanBalik(kegiatan_id="k1", kode_hadir=peserta.kode_hadir, pemahaman_meningkat=True, skor=5)
    )
    assert fake.repo.umpan_balik == {peserta.id: feedback}
    assert [type(e) for e in fake.published if not isinstance(e, ProgramFormed)] == [
        PesertaRegistered,
        PesertaAttended,
        UmpanBalikReceived,
    ]
    with pytest.raises(NotFound):
        await fake.bus.handle(CatatKehadiran(kegiatan_id="k1", kode_hadir="SALAHKODE"))


async def test_planning_kegiatan_link_to_the_only_program_of_their_type(fake: Fake, make_kegiatan: Any) -> None:
    forum = await fake.bus.handle(
        bentuk(Program.FORUM_WARGA, forum_warga={"metode": "dialogis", "pertemuan": ["daring"]}), operator()
    )
    uow = fake.bus.uow_factory()
    async with uow:
        for kegiatan_id, unit in (("k1", KAB), ("k2", "35.06")):
            event = make_kegiatan(kegiatan_id, unit, Program.FORUM_WARGA, mulai=TODAY)
            await track_program_kegiatan(event, Envelope.new(event), uow)
    assert fake.repo.kegiatan["k1"].program_id == forum.id and fake.repo.kegiatan["k1"].unit == KAB
    assert fake.repo.kegiatan["k2"].program_id is None  # another unit's: waits for its own program
    assert fake.repo.active["35.06"] == TODAY


async def test_pemantauan_is_recorded_by_bawaslu_units_only(fake: Fake) -> None:
    record = await fake.bus.handle(
        CatatPemantauan(unit=KAB, tanggal=TODAY, ringkasan="Forum Warga berjalan", program=(Program.FORUM_WARGA,)),
        operator(),
    )
    assert fake.repo.pemantauan == [record] and fake.events(PemantauanRecorded)[0].pemantauan_id == record.id
    with pytest.raises(DomainError) as refused:
        await fake.bus.handle(CatatPemantauan(unit="35.05.01", tanggal=TODAY, ringkasan="x"), operator("35.05.01"))
    assert refused.value.pasal == "Pasal 30 ayat (3) Perbawaslu Nomor 2 Tahun 2023"
    assert len(fake.repo.pemantauan) == 1


async def test_an_unmet_penilaian_gets_its_tindak_lanjut_once(fake: Fake) -> None:
    indikator = (Indikator(kode="FW", nama="Forum Warga terlaksana", target=3),)
    command = TetapkanIndikator(nama="Indikator 2026", nomor_keputusan="1/2026", indikator=indikator)
    with pytest.raises(Forbidden) as refused:  # Bawaslu sets them, by its Ketua's decision
        await fake.bus.handle(command, operator())
    assert refused.value.pasal == "Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023"
    indikator_set = await fake.bus.handle(command, Principal(subject="admin", role=Role.ADMIN, unit="00"))
    assert fake.repo.indikator_sets == {indikator_set.id: indikator_set}

    unmet = Penilaian.tetapkan(
        unit=KAB,
        unit_dinilai=KAB,
        tahun=TODAY.year,
        indikator_set=indikator_set,
        nilai={"FW": 1},
        metrik={},
        pemantauan=[PemantauanRef("p1", KAB, TODAY)],
        tanggal=TODAY,
        today=TODAY,
    )
    unmet.pull_events()
    fake.repo.penilaian[unmet.id] = unmet
    tindak_lanjut = CatatTindakLanjut(
        penilaian_id=unmet.id, evaluasi="Peserta kurang", strategi_baru="Daring", media=(MediaTindakLanjut.DARING,)
    )
    with pytest.raises(NotFound):  # another Kab/Kota does not see it
        await fake.bus.handle(tindak_lanjut, operator("35.06"))
    recorded = await fake.bus.handle(tindak_lanjut, operator())
    assert recorded.status_tindak_lanjut == "dicatat" and recorded.tindak_lanjut.dicatat_oleh == KAB
    assert [e.penilaian_id for e in fake.events(TindakLanjutRecorded)] == [unmet.id]
    with pytest.raises(Conflict):
        await fake.bus.handle(tindak_lanjut, operator())
