"""Planning's handlers through the same CommandBus the service uses, on an in-memory unit of work:
no database, no broker. The repository keeps kegiatan in a dict (handing out copies, as rows
would be read again), and the unit of work collects the events a commit would have written to
the outbox."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from awasi_cli import testing
from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events.base import Event
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
)
from awasi_common.vocabulary import Divisi, Program
from awasi_planning.adapters.documents import BerkasTerlaluBesar
from awasi_planning.commands import (
    BatalkanKegiatan,
    BuatKegiatan,
    CatatRealisasi,
    ImporDokumen,
    JadwalkanKegiatan,
    JadwalUlangKegiatan,
)
from awasi_planning.domain.model import Jadwal, Jenis, Kegiatan, Realisasi, Rincian, Status, TargetPeserta
from awasi_planning.service_layer import handlers
from awasi_planning.service_layer.handlers import HANDLERS, ImportResult

KAB = "35.05"
DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
MULAI = dt.date(2026, 11, 2)


class FakeKegiatanRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Kegiatan] = {}

    async def add(self, kegiatan: Kegiatan) -> None:
        assert kegiatan.id not in self.rows, "a kegiatan is added once"
        self.rows[kegiatan.id] = copy.deepcopy(kegiatan)

    async def save(self, kegiatan: Kegiatan) -> None:
        assert kegiatan.id in self.rows, "only a stored kegiatan is saved"
        self.rows[kegiatan.id] = copy.deepcopy(kegiatan)

    async def get(self, kegiatan_id: str, *, for_update: bool = False) -> Kegiatan | None:
        found = self.rows.get(kegiatan_id)
        return copy.deepcopy(found) if found else None

    async def by_sources(self, sources: Sequence[str]) -> dict[str, Kegiatan]:
        return {k.sumber: copy.deepcopy(k) for k in self.rows.values() if k.sumber in sources}


class FakeUnitOfWork(testing.FakeUnitOfWork):
    """Rows and events are kept only when the handler commits, as in one transaction."""

    def __init__(self, store: FakeKegiatanRepository, published: list[Event]) -> None:
        super().__init__(published)
        self._store = store
        self.kegiatan = FakeKegiatanRepository()

    def _begin(self) -> None:
        self.kegiatan.rows = copy.deepcopy(self._store.rows)

    def _keep(self) -> None:
        self._store.rows = copy.deepcopy(self.kegiatan.rows)


class Fake:
    def __init__(self) -> None:
        self.store = FakeKegiatanRepository()
        self.published: list[Event] = []
        self.bus: CommandBus[Any] = CommandBus(HANDLERS, lambda: FakeUnitOfWork(self.store, self.published))

    def events(self, kind: type[Event]) -> list[Any]:
        return [e for e in self.published if isinstance(e, kind)]


def operator(unit: str = KAB, role: Role = Role.OPERATOR) -> Principal:
    return Principal(subject=f"{role.value}-{unit}", role=role, unit=unit)


def buat(unit: str = KAB, *, draft: bool = False) -> BuatKegiatan:
    return BuatKegiatan(
        unit=unit,
        divisi=Divisi.P2H,
        judul="Forum Warga Kademangan",
        jenis=Jenis.SOSIALISASI,
        jadwal=Jadwal(MULAI, MULAI + dt.timedelta(days=1)),
        rincian=Rincian(
            tujuan=["Warga paham cara melapor"], program=Program.FORUM_WARGA, target_peserta=TargetPeserta(40)
        ),
        draft=draft,
    )


@pytest.fixture
def fake() -> Fake:
    return Fake()


async def test_a_kegiatan_goes_from_draft_to_realisation(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    draft: Kegiatan = await fake.bus.handle(buat(draft=True), operator())
    assert fake.store.rows[draft.id].status == Status.DRAFT and fake.published == []
    assert fake.store.rows[draft.id].tujuan == ["Warga paham cara melapor"]

    scheduled = await fake.bus.handle(JadwalkanKegiatan(draft.id), operator())
    (event,) = fake.events(KegiatanScheduled)
    assert scheduled.status == Status.SCHEDULED and event.kegiatan_id == draft.id
    assert event.kegiatan.program == Program.FORUM_WARGA and event.kegiatan.target_peserta == 40

    moved = Jadwal(MULAI + dt.timedelta(days=7), MULAI + dt.timedelta(days=8))
    await fake.bus.handle(JadwalUlangKegiatan(draft.id, moved), operator())
    (rescheduled,) = fake.events(KegiatanRescheduled)
    assert rescheduled.jadwal_sebelumnya.mulai == MULAI and rescheduled.kegiatan.jadwal.mulai == moved.mulai

    # Realisation is refused before the kegiatan starts on the unit's own date (WIB: 17:00 UTC
    # is midnight).
    realisasi = Realisasi(peserta_hadir=35, output_tercapai=["Berita acara"])
    monkeypatch.setattr(handlers, "now", lambda: dt.datetime(2026, 11, 8, 16, 59, tzinfo=dt.UTC))
    with pytest.raises(DomainError, match="Realisasi belum dapat dicatat"):
        await fake.bus.handle(CatatRealisasi(draft.id, realisasi), operator())
    monkeypatch.setattr(handlers, "now", lambda: dt.datetime(2026, 11, 8, 17, 0, tzinfo=dt.UTC))
    done = await fake.bus.handle(CatatRealisasi(draft.id, realisasi), operator())
    (completed,) = fake.events(KegiatanCompleted)
    assert done.status == Status.COMPLETED and completed.realisasi.peserta_hadir == 35
    assert fake.store.rows[draft.id].realisasi == realisasi


async def test_created_scheduled_and_cancelled(fake: Fake) -> None:
    kegiatan = await fake.bus.handle(buat(), operator())
    assert [type(e) for e in fake.published] == [KegiatanScheduled]
    await fake.bus.handle(BatalkanKegiatan(kegiatan.id, "Anggaran dialihkan"), operator())
    (cancelled,) = fake.events(KegiatanCancelled)
    assert cancelled.alasan == "Anggaran dialihkan" and fake.store.rows[kegiatan.id].status == Status.CANCELLED


async def test_a_refused_change_writes_and_publishes_nothing(fake: Fake) -> None:
    kegiatan = await fake.bus.handle(buat(), operator())
    before = copy.deepcopy(fake.store.rows)
    with pytest.raises(Conflict):
        await fake.bus.handle(JadwalkanKegiatan(kegiatan.id), operator())
    with pytest.raises(DomainError, match="Alasan pembatalan wajib diisi"):
        await fake.bus.handle(BatalkanKegiatan(kegiatan.id, "  "), operator())
    assert fake.store.rows == before and len(fake.published) == 1


async def test_who_may_act(fake: Fake) -> None:
    with pytest.raises(Forbidden):
        await fake.bus.handle(buat(), operator("35.06"))
    with pytest.raises(Forbidden):
        await fake.bus.handle(buat(), operator(role=Role.VIEWER))
    with pytest.raises(Forbidden):
        await fake.bus.handle(buat(), None)
    kegiatan = await fake.bus.handle(buat(), operator())
    # Another unit does not learn the kegiatan exists; the province above it sees it but may not act.
    with pytest.raises(NotFound):
        await fake.bus.handle(BatalkanKegiatan(kegiatan.id, "Bukan urusan kami"), operator("35.06"))
    with pytest.raises(Forbidden):
        await fake.bus.handle(BatalkanKegiatan(kegiatan.id, "Dibatalkan provinsi"), operator("35"))
    with pytest.raises(NotFound):
        await fake.bus.handle(JadwalkanKegiatan("tidak-ada"), operator())
    assert len(fake.published) == 1


async def test_a_document_imported_twice_creates_its_kegiatan_once(fake: Fake) -> None:
    berkas = KABUPATEN_PLAN.read_bytes()
    dry: ImportResult = await fake.bus.handle(
        ImporDokumen(berkas, KABUPATEN_PLAN.name, unit=KAB, dry_run=True), operator(role=Role.VIEWER)
    )
    assert dry.created and fake.store.rows == {} and fake.published == []

    heard: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        heard.append((done, total))

    first: ImportResult = await fake.bus.handle(
        ImporDokumen(berkas, KABUPATEN_PLAN.name, unit=KAB, progress=progress), operator()
    )
    assert set(first.created) == set(dry.created), "a dry run shows the identities an import gives"
    assert len(fake.store.rows) == len(first.created) == len(first.plan.items)
    scheduled = [k for k in fake.store.rows.values() if k.status == Status.SCHEDULED]
    assert scheduled and len(fake.events(KegiatanScheduled)) == len(scheduled)
    assert heard[0] == (0, len(first.created)) and heard[-1] == (len(first.created),) * 2

    again: ImportResult = await fake.bus.handle(ImporDokumen(berkas, KABUPATEN_PLAN.name, unit=KAB), operator())
    assert again.created == {} and set(again.existing) == set(first.created)
    assert len(fake.events(KegiatanScheduled)) == len(scheduled)


async def test_a_refused_import_writes_nothing(fake: Fake) -> None:
    berkas = KABUPATEN_PLAN.read_bytes()
    with pytest.raises(Forbidden):
        await fake.bus.handle(ImporDokumen(berkas, KABUPATEN_PLAN.name, unit=KAB), operator("35.06"))
    with pytest.raises(DomainError):
        await fake.bus.handle(ImporDokumen(b"Bukan rencana apa pun.", "catatan.txt", unit=KAB), operator())
    # The service's document limit (AWASI_PLANNING_DOCUMENT_MAX_BYTES) travels with the command.
    with pytest.raises(BerkasTerlaluBesar, match="paling besar 0 MB"):
        await fake.bus.handle(ImporDokumen(berkas, KABUPATEN_PLAN.name, unit=KAB, max_bytes=1024), operator())
    assert fake.store.rows == {} and fake.published == []
