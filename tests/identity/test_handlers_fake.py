"""Identity's handlers through the same CommandBus the service uses, on an in-memory unit of
work: no database, no broker. Repositories keep copies of the aggregates in dicts (a change
counts only once saved), and the unit of work collects the events a commit would have
written to the outbox."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

import pyotp
import pytest

from awasi_cli import testing
from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus
from awasi_common.errors import Conflict, DomainError, Forbidden
from awasi_common.events.identity import AccountChanged, AccountCreated, AccountDisabled
from awasi_common.sealing import KeyRing
from awasi_common.vocabulary import Divisi
from awasi_identity.adapters.signing import Penandatangan
from awasi_identity.commands import (
    AktivasiAkun,
    BuatAkun,
    HapusTokenKedaluwarsa,
    MasukDenganSandi,
    NonaktifkanAkun,
    RotasiKunci,
    SegarkanToken,
    UbahAkun,
)
from awasi_identity.domain.akun import Akun, StatusAkun
from awasi_identity.domain.audit import CatatanAudit, Tindakan
from awasi_identity.domain.kunci import KunciPenandatangan
from awasi_identity.domain.percobaan import Kebijakan, PercobaanMasuk, TerlaluBanyakPercobaan
from awasi_identity.domain.token import GagalMasuk, TokenDipakaiUlang, TokenPenyegar, TokenTidakSah
from awasi_identity.service_layer.handlers import HANDLERS
from awasi_identity.service_layer.unit_of_work import Konteks
from awasi_identity.settings import IdentitySettings

SANDI = "kuda merah melompati pagar bambu"
KAB_ADMIN = Principal(subject="admin-kab", role=Role.ADMIN, unit="35.05")


class FakeAkun:
    def __init__(self) -> None:
        self.rows: dict[str, Akun] = {}
        self.seen: list[Akun] = []

    def _loaded(self, akun: Akun | None) -> Akun | None:
        if akun is None:
            return None
        loaded = copy.deepcopy(akun)
        self.seen.append(loaded)
        return loaded

    async def get(self, akun_id: str) -> Akun | None:
        return self._loaded(self.rows.get(akun_id))

    async def by_email(self, email: str) -> Akun | None:
        return self._loaded(next((a for a in self.rows.values() if a.email == email), None))

    async def email_dipakai(self, email: str) -> bool:
        return any(a.email == email for a in self.rows.values())

    async def add(self, akun: Akun) -> None:
        self.rows[akun.id] = dataclasses.replace(akun, events=[])
        self.seen.append(akun)

    async def save(self, akun: Akun) -> None:
        self.rows[akun.id] = dataclasses.replace(akun, events=[])


class FakePercobaan:
    def __init__(self) -> None:
        self.rows: dict[str, PercobaanMasuk] = {}

    async def get(self, email_sidik: str) -> PercobaanMasuk:
        return copy.deepcopy(self.rows.get(email_sidik, PercobaanMasuk(email_sidik)))

    async def save(self, percobaan: PercobaanMasuk) -> None:
        self.rows[percobaan.email_sidik] = copy.deepcopy(percobaan)


class FakeToken:
    def __init__(self) -> None:
        self.rows: dict[str, TokenPenyegar] = {}

    async def by_sidik(self, sidik: str) -> TokenPenyegar | None:
        found = next((t for t in self.rows.values() if t.sidik == sidik), None)
        return copy.deepcopy(found)

    async def add(self, token: TokenPenyegar) -> None:
        self.rows[token.id] = copy.deepcopy(token)

    save = add

    async def hapus_kedaluwarsa(self, sebelum: dt.datetime) -> int:
        expired = [key for key, token in self.rows.items() if token.kedaluwarsa < sebelum]
        for key in expired:
            del self.rows[key]
        return len(expired)

    async def cabut(self, now: dt.datetime, *, keluarga: str | None = None, akun_id: str | None = None) -> None:
        for token in self.rows.values():
            if (token.keluarga == keluarga if keluarga else token.akun_id == akun_id) and token.dicabut_pada is None:
                token.dicabut_pada = now


class FakeKunci:
    def __init__(self) -> None:
        self.rows: list[KunciPenandatangan] = []

    async def semua(self) -> list[KunciPenandatangan]:
        return sorted(self.rows, key=lambda k: k.generasi, reverse=True)

    async def add(self, kunci: KunciPenandatangan) -> bool:
        if any(k.generasi == kunci.generasi for k in self.rows):
            return False
        self.rows.append(kunci)
        return True


class FakeAudit:
    def __init__(self) -> None:
        self.rows: list[CatatanAudit] = []

    async def add(self, *catatan: CatatanAudit) -> None:
        self.rows.extend(catatan)


class FakeUnitOfWork(testing.FakeUnitOfWork):
    """Shared state across units of work, like one database; ``published`` is the outbox."""

    def __init__(self) -> None:
        super().__init__()
        self.akun = FakeAkun()
        self.percobaan = FakePercobaan()
        self.token = FakeToken()
        self.kunci = FakeKunci()
        self.audit = FakeAudit()
        keyring = KeyRing(["kunci uji"])
        settings = IdentitySettings(backoff_seconds=0)
        self.konteks = Konteks(settings, Penandatangan(keyring), keyring, settings.hash_sandi())

    def _begin(self) -> None:
        self.akun.seen = []

    def _keep(self) -> None:
        for akun in self.akun.seen:  # the accounts' events go out with the commit, as pulled
            self.publish(*akun.events)
            akun.events.clear()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def bus(uow: FakeUnitOfWork) -> CommandBus[Any]:
    return CommandBus(HANDLERS, lambda: uow)


async def _aktif(bus: CommandBus[Any], unit: str = "35.05.01", role: Role = Role.PENGAWAS, **fields: Any) -> Akun:
    baru = await bus.handle(
        BuatAkun(nama="Dewi", email=f"dewi.{unit}@bawaslu.go.id", unit=unit, role=role, **fields), KAB_ADMIN
    )
    aktif = await bus.handle(AktivasiAkun(email=baru.akun.email, kode=baru.kode_aktivasi, sandi=SANDI))
    akun: Akun = aktif.akun
    return akun


async def test_an_account_is_created_activated_changed_and_disabled(bus: CommandBus[Any], uow: FakeUnitOfWork) -> None:
    akun = await _aktif(bus, divisi=Divisi.P2H)
    assert akun.status == StatusAkun.AKTIF and akun.sandi_hash and akun.sandi_hash.startswith("$argon2id$")
    assert uow.akun.rows[akun.id].kode_aktivasi_hash is None
    changed = await bus.handle(UbahAkun(akun.id, role=Role.OPERATOR, hapus=frozenset({"divisi"})), KAB_ADMIN)
    assert changed.role == Role.OPERATOR and changed.divisi is None
    await bus.handle(NonaktifkanAkun(akun.id), KAB_ADMIN)
    assert [type(e) for e in uow.published] == [AccountCreated, AccountChanged, AccountDisabled]
    assert all(e.akun_id == akun.id for e in uow.published)  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        await bus.handle(UbahAkun(akun.id, jabatan="Ketua"), KAB_ADMIN)
    actions = [c.tindakan for c in uow.audit.rows]
    assert actions[:4] == [Tindakan.AKUN_DIBUAT, Tindakan.KODE_AKTIVASI_DIBUAT, Tindakan.AKTIVASI, Tindakan.AKUN_DIUBAH]
    assert actions[-1] == Tindakan.AKUN_DINONAKTIFKAN


async def test_only_the_admin_of_the_unit_or_above_manages_it(bus: CommandBus[Any]) -> None:
    command = BuatAkun(nama="X", email="x@bawaslu.go.id", unit="35.06", role=Role.OPERATOR)
    with pytest.raises(Forbidden, match="di atas atau di sampingnya"):
        await bus.handle(command, KAB_ADMIN)
    with pytest.raises(Forbidden, match="Hanya admin"):
        await bus.handle(command, Principal(subject="op", role=Role.OPERATOR, unit="35.06"))
    with pytest.raises(Forbidden):
        await bus.handle(command)
    akun = await _aktif(bus, unit="35.05.01")
    with pytest.raises(Forbidden):
        await bus.handle(NonaktifkanAkun(akun.id), Principal(subject="a", role=Role.ADMIN, unit="35.05.02"))
    with pytest.raises(Forbidden):
        await bus.handle(UbahAkun(akun.id, unit="35.06"), KAB_ADMIN)
    with pytest.raises(Conflict, match="akun Anda sendiri"):
        await bus.handle(NonaktifkanAkun(KAB_ADMIN.subject), KAB_ADMIN)


async def test_a_changed_title_alone_publishes_nothing(bus: CommandBus[Any], uow: FakeUnitOfWork) -> None:
    akun = await _aktif(bus)
    before = len(uow.published)
    await bus.handle(UbahAkun(akun.id, jabatan="Koordinator Divisi"), KAB_ADMIN)
    assert len(uow.published) == before
    assert uow.akun.rows[akun.id].jabatan == "Koordinator Divisi"


async def test_sign_in_lockout_and_refresh_rotation(bus: CommandBus[Any], uow: FakeUnitOfWork) -> None:
    akun = await _aktif(bus, unit="35.05")
    for _ in range(5):
        with pytest.raises(GagalMasuk):
            await bus.handle(MasukDenganSandi(email=akun.email, sandi="salah salah salah salah"))
    with pytest.raises(TerlaluBanyakPercobaan) as locked:
        await bus.handle(MasukDenganSandi(email=akun.email, sandi=SANDI))
    assert locked.value.terkunci and locked.value.status_code == 429
    for percobaan in uow.percobaan.rows.values():
        percobaan.tunggu_sampai = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # the 15 minutes passed
    first = await bus.handle(MasukDenganSandi(email=akun.email, sandi=SANDI))
    second = await bus.handle(SegarkanToken(first.refresh_token))
    assert second.refresh_token != first.refresh_token
    with pytest.raises(TokenDipakaiUlang):
        await bus.handle(SegarkanToken(first.refresh_token))
    with pytest.raises(TokenTidakSah):
        await bus.handle(SegarkanToken(second.refresh_token))
    assert Tindakan.DIKUNCI in [c.tindakan for c in uow.audit.rows]
    assert SANDI not in repr(uow.audit.rows) and first.refresh_token not in repr(uow.audit.rows)


async def test_an_unknown_email_fails_like_a_wrong_password(bus: CommandBus[Any]) -> None:
    akun = await _aktif(bus)
    with pytest.raises(GagalMasuk) as unknown:
        await bus.handle(MasukDenganSandi(email="siapa@bawaslu.go.id", sandi=SANDI))
    with pytest.raises(GagalMasuk) as wrong:
        await bus.handle(MasukDenganSandi(email=akun.email, sandi=SANDI + "!"))
    assert unknown.value.message == wrong.value.message and unknown.value.status_code == wrong.value.status_code


async def test_keys_rotate_by_generation_and_only_ri_forces_it(bus: CommandBus[Any], uow: FakeUnitOfWork) -> None:
    first = await bus.handle(RotasiKunci())
    assert len(first) == 1 and await bus.handle(RotasiKunci()) == first  # not due: the same key
    with pytest.raises(Forbidden):
        await bus.handle(RotasiKunci(paksa=True), KAB_ADMIN)
    ri = Principal(subject="ri", role=Role.ADMIN, unit="00")
    pending = await bus.handle(RotasiKunci(paksa=True), ri)
    assert pending[1:] == first and len(pending) == 2  # published ahead, not yet signing
    urgent = await bus.handle(RotasiKunci(paksa=True, segera=True), ri)
    assert len(urgent) == 2 and urgent[1] != first[0]  # the newest signs; the one before stays
    assert [k.generasi for k in await uow.kunci.semua()] == [3, 2, 1]


async def test_a_term_that_ends_before_it_starts_is_refused(bus: CommandBus[Any]) -> None:
    with pytest.raises(DomainError) as refused:
        await bus.handle(
            BuatAkun(
                nama="PKD",
                email="pkd@bawaslu.go.id",
                unit="35.05.01.2001",
                role=Role.PENGAWAS,
                berlaku_mulai=dt.date(2026, 5, 1),
                berlaku_sampai=dt.date(2026, 4, 1),
            ),
            KAB_ADMIN,
        )
    assert refused.value.field == "berlaku_sampai"


async def test_expired_refresh_tokens_are_deleted(bus: CommandBus[Any], uow: FakeUnitOfWork) -> None:
    akun = await _aktif(bus)
    live = await bus.handle(MasukDenganSandi(email=akun.email, sandi=SANDI))
    assert await bus.handle(HapusTokenKedaluwarsa(sebelum=dt.datetime.now(dt.UTC))) == 0
    in_a_month = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    assert await bus.handle(HapusTokenKedaluwarsa(sebelum=in_a_month)) == 1
    with pytest.raises(TokenTidakSah):
        await bus.handle(SegarkanToken(live.refresh_token))


async def test_an_admin_signs_in_only_with_its_current_code_once(bus: CommandBus[Any]) -> None:
    baru = await bus.handle(
        BuatAkun(nama="Admin", email="admin.kec@bawaslu.go.id", unit="35.05.01", role=Role.ADMIN), KAB_ADMIN
    )
    aktif = await bus.handle(AktivasiAkun(email=baru.akun.email, kode=baru.kode_aktivasi, sandi=SANDI))
    assert aktif.totp_rahasia
    with pytest.raises(GagalMasuk):
        await bus.handle(MasukDenganSandi(email=baru.akun.email, sandi=SANDI))
    code = pyotp.TOTP(aktif.totp_rahasia).now()
    assert await bus.handle(MasukDenganSandi(email=baru.akun.email, sandi=SANDI, totp=code))
    with pytest.raises(GagalMasuk):
        await bus.handle(MasukDenganSandi(email=baru.akun.email, sandi=SANDI, totp=code))


def test_failures_wait_lock_and_are_forgotten() -> None:
    rule = Kebijakan()  # 2 free, then 1 s doubling, locked at 5 for 15 minutes, forgotten after an hour
    start = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    attempts = PercobaanMasuk("sidik")
    for _ in range(2):
        attempts.periksa(start, rule)
        assert not attempts.catat_gagal(start, rule) and attempts.tunggu_sampai is None
    attempts.catat_gagal(start, rule)
    with pytest.raises(TerlaluBanyakPercobaan):
        attempts.periksa(start + dt.timedelta(milliseconds=500), rule)
    attempts.periksa(start + dt.timedelta(seconds=1), rule)
    attempts.catat_gagal(start + dt.timedelta(seconds=1), rule)
    assert attempts.tunggu_sampai == start + dt.timedelta(seconds=3)  # 2 s after the fourth
    assert attempts.catat_gagal(start + dt.timedelta(seconds=3), rule)  # the fifth locks
    with pytest.raises(TerlaluBanyakPercobaan) as locked:
        attempts.periksa(start + dt.timedelta(minutes=14), rule)
    assert locked.value.terkunci
    attempts.periksa(start + dt.timedelta(minutes=16), rule)  # the lock ended: counted afresh
    assert attempts.gagal == 0
    attempts.catat_gagal(start + dt.timedelta(minutes=16), rule)
    attempts.catat_gagal(start + dt.timedelta(minutes=16), rule)
    attempts.periksa(start + dt.timedelta(hours=2), rule)  # two typos long ago: forgotten
    assert attempts.gagal == 0 and not attempts.catat_gagal(start + dt.timedelta(hours=2), rule)
    assert attempts.tunggu_sampai is None


def test_production_refuses_the_development_identity_key(tmp_path: Any) -> None:
    from awasi_common.settings import DevelopmentDefaultRefused, PlatformSettings, ServiceSettings
    from awasi_identity.bootstrap import bootstrap
    from awasi_identity.settings import DEV_IDENTITY_KEY

    real = {"rate_limit_key": "rate-0f9e8d7c", "contact_key": "contact-1a2b", "pojok_identity_key": "pojok-5e6f"}
    platform = PlatformSettings(env="production", data_dir=tmp_path, trace_file=False, **real)
    settings = ServiceSettings(name="identity", port=8105, database_url=f"sqlite+aiosqlite:///{tmp_path}/i.db")
    for development in (DEV_IDENTITY_KEY, f"kunci-baru-9a8b,{DEV_IDENTITY_KEY}"):
        with pytest.raises(DevelopmentDefaultRefused) as refused:
            bootstrap(platform, settings, IdentitySettings(key=development))
        assert "AWASI_IDENTITY_KEY" in str(refused.value) and "kunci-baru" not in str(refused.value)
    own = IdentitySettings(key="kunci-sendiri-7c6d", password_profile="rfc9106-low-memory")  # the suite's: cheapest
    assert bootstrap(platform, settings, own).state.service.platform.production
