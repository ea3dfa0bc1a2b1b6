"""A program's activities are planning's kegiatan, taken from its events: linked to the program
record, with peserta registration under a capacity, check-in codes and feedback."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

import pytest

from awasi_cli.testing import eventually
from awasi_common.events.participation import PesertaAttended, PesertaRegistered, UmpanBalikReceived
from awasi_common.events.planning import Jadwal, KegiatanRescheduled, KegiatanUpdated
from awasi_common.vocabulary import Program

FORUM = {"metode": "partisipatoris", "pertemuan": ["tatap_muka", "daring"]}


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: each test's service replays planning's topic from its
    start (a consumer group of its own), and a kegiatan an earlier run left there is linked to
    this run's programs (a rerun in the same process, as make test's --reruns makes, counted
    two kegiatan of province 62 under its Komunitas Digital and failed)."""
    return private_broker


def new_id() -> str:
    return str(uuid.uuid4())


async def kegiatan_row(svc: Any, kegiatan_id: str, headers: dict[str, str]) -> dict[str, Any] | None:
    answer = await svc.get(f"/program-kegiatan/{kegiatan_id}", headers=headers)
    return answer.json() if answer.status_code == 200 else None


async def test_peserta_register_attend_and_give_feedback(start_service, tokens, tap, publish, make_kegiatan) -> None:
    svc = await start_service("participation")
    events = await tap()
    kab = tokens("35.29")
    forum = await svc.post(
        "/program",
        json={
            "unit": "35.29",
            "program": "forum_warga",
            "nama": "Forum Warga Kabupaten Sumenep",
            "forum_warga": FORUM,
            "sasaran": ["pemilih_pemula", "pemilih_perempuan"],
        },
        headers=kab,
    )
    assert forum.status_code == 201, forum.text
    kegiatan_id = new_id()
    await publish(make_kegiatan(kegiatan_id, "35.29", Program.FORUM_WARGA, target_peserta=2))

    row = await eventually(lambda: kegiatan_row(svc, kegiatan_id, kab))
    assert row["program_id"] == forum.json()["id"] and row["kapasitas_efektif"] == 2 and not row["tautan_manual"]
    info = (await svc.get(f"/program-kegiatan/{kegiatan_id}/info")).json()  # public
    assert info["sisa_kuota"] == 2 and info["sasaran"] == ["pemilih_pemula", "pemilih_perempuan"]

    url = f"/program-kegiatan/{kegiatan_id}/peserta"
    ani = await svc.post(url, json={"nama": "Ani", "sasaran": "pemilih_pemula", "email": "ani@example.org"})
    assert ani.status_code == 201, ani.text
    not_allowed = await svc.post(url, json={"nama": "Joko", "sasaran": "jurnalis"})
    assert not_allowed.status_code == 422 and not_allowed.json()["pasal"] == "Pasal 16 Perbawaslu Nomor 2 Tahun 2023"
    not_chosen = await svc.post(url, json={"nama": "Joko", "sasaran": "tokoh_agama"})
    assert not_chosen.status_code == 422  # allowed by Pasal 16, but not a sasaran this Forum Warga chose
    twice = await svc.post(url, json={"nama": "Ani B", "sasaran": "pemilih_pemula", "email": "ANI@example.org"})
    assert twice.status_code == 409
    rina = await svc.post(url, json={"nama": "Rina", "sasaran": "pemilih_perempuan"})
    assert rina.status_code == 201
    full = await svc.post(url, json={"nama": "Dewi", "sasaran": "pemilih_perempuan"})
    assert full.status_code == 409 and "penuh" in full.json()["detail"]

    assert (
        await svc.put(f"/program-kegiatan/{kegiatan_id}/kapasitas", json={"kapasitas": 1}, headers=kab)
    ).status_code == 409
    viewer = tokens("35.29", "viewer")
    assert (
        await svc.put(f"/program-kegiatan/{kegiatan_id}/kapasitas", json={"kapasitas": 3}, headers=viewer)
    ).status_code == 403
    raised = await svc.put(f"/program-kegiatan/{kegiatan_id}/kapasitas", json={"kapasitas": 3}, headers=kab)
    assert raised.status_code == 200 and raised.json()["kapasitas_efektif"] == 3
    assert (await svc.post(url, json={"nama": "Dewi", "sasaran": "pemilih_perempuan"})).status_code == 201

    registered = await events.wait_for(PesertaRegistered, count=3, kegiatan_id=kegiatan_id)
    assert {e.sasaran for e in registered} == {"pemilih_pemula", "pemilih_perempuan"}
    assert all(e.program_id == forum.json()["id"] and e.unit == "35.29" for e in registered)

    kode = ani.json()["kode_hadir"]
    check_in = f"/program-kegiatan/{kegiatan_id}/kehadiran"
    first = await svc.post(check_in, json={"kode_hadir": kode.lower()})
    assert first.status_code == 200 and first.json()["baru_dicatat"] is True
    again = await svc.post(check_in, json={"kode_hadir": kode})
    assert again.status_code == 200 and again.json()["baru_dicatat"] is False
    assert (await svc.post(check_in, json={"kode_hadir": "ZZZZ9999"})).status_code == 404

    feedback = f"/program-kegiatan/{kegiatan_id}/umpan-balik"
    given = await svc.post(feedback, json={"kode_hadir": kode, "pemahaman_meningkat": True, "skor": 5})
    assert given.status_code == 201, given.text
    assert (await svc.post(feedback, json={"kode_hadir": kode, "pemahaman_meningkat": False})).status_code == 409
    absent = await svc.post(feedback, json={"kode_hadir": rina.json()["kode_hadir"], "pemahaman_meningkat": True})
    assert absent.status_code == 422

    await events.wait_for(UmpanBalikReceived, peserta_id=ani.json()["peserta_id"], pemahaman_meningkat=True)
    await events.settle(1.0)
    assert len(events.events(PesertaAttended, kegiatan_id=kegiatan_id)) == 1

    ringkasan = (await svc.get(f"/program-kegiatan/{kegiatan_id}/ringkasan", headers=viewer)).json()
    assert (ringkasan["terdaftar"], ringkasan["hadir"], ringkasan["persentase_pemahaman_meningkat"]) == (3, 1, 100.0)
    assert ringkasan["per_sasaran"]["pemilih_pemula"] == {"terdaftar": 1, "hadir": 1}

    # Personal data of peserta only for the unit's own operators.
    names = {p["nama"] for p in (await svc.get(url, headers=kab)).json()}
    assert names == {"Ani", "Rina", "Dewi"}
    assert (await svc.get(url, headers=tokens("35", "pimpinan"))).status_code == 403

    # The Forum Warga held (someone checked in) counts towards the unit's yearly obligation.
    obligations = (await svc.get("/kewajiban", params={"tahun": dt.date.today().year}, headers=kab)).json()
    forum_warga = [k for k in obligations if k["jenis"] == "forum_warga"]
    # Pasal 17 ayat (1): 3 a year; formed today, the first year is pro-rated by the months left
    # (the platform's rule, issue 13 item 7): ceil(3 x (13 - month) / 12), at least 1.
    owed = max(1, math.ceil(3 * (13 - dt.date.today().month) / 12))
    assert len(forum_warga) == 1 and forum_warga[0]["terlaksana"] == 1 and forum_warga[0]["wajib"] == owed


async def test_kegiatan_are_linked_to_their_program_record(start_service, tokens, publish, make_kegiatan) -> None:
    planning = await start_service("planning")
    svc = await start_service("participation")
    kab, ri = tokens("35.16"), tokens("00", "admin")

    # A kegiatan that arrives before its program waits, and is linked when the program is formed.
    early = new_id()
    await publish(make_kegiatan(early, "35.16", Program.FORUM_WARGA))
    assert (await eventually(lambda: kegiatan_row(svc, early, kab)))["program_id"] is None
    first = (
        await svc.post(
            "/program",
            json={"unit": "35.16", "program": "forum_warga", "nama": "FW 1", "forum_warga": FORUM},
            headers=kab,
        )
    ).json()
    assert (await kegiatan_row(svc, early, kab))["program_id"] == first["id"]  # type: ignore[index]

    # Planned in the planning service, it arrives through the broker and is linked.
    start = dt.date.today() + dt.timedelta(days=7)
    created = await planning.post(
        "/kegiatan",
        json={
            "unit": "35.16",
            "divisi": "P2H",
            "judul": "Forum Warga Kecamatan",
            "jenis": "sosialisasi",
            "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
            "program": "forum_warga",
            "target_peserta": {"jumlah": 30},
        },
        headers=kab,
    )
    assert created.status_code == 201, created.text
    planned = created.json()["id"]
    row = await eventually(lambda: kegiatan_row(svc, planned, kab))
    assert row["program_id"] == first["id"] and row["target_peserta"] == 30

    # With two Forum Warga programs the unit chooses; its choice survives later events.
    second = (
        await svc.post(
            "/program",
            json={"unit": "35.16", "program": "forum_warga", "nama": "FW 2", "forum_warga": FORUM},
            headers=kab,
        )
    ).json()
    ambiguous = new_id()
    event = make_kegiatan(ambiguous, "35.16", Program.FORUM_WARGA)
    await publish(event)
    assert (await eventually(lambda: kegiatan_row(svc, ambiguous, kab)))["program_id"] is None
    waiting = (await svc.get("/program-kegiatan", params={"belum_ditautkan": True}, headers=kab)).json()
    assert [k["kegiatan_id"] for k in waiting] == [ambiguous]
    linked = await svc.put(f"/program-kegiatan/{ambiguous}/program", json={"program_id": second["id"]}, headers=kab)
    assert linked.status_code == 200 and linked.json()["program_id"] == second["id"] and linked.json()["tautan_manual"]
    later = dt.date.today() + dt.timedelta(days=3)
    await publish(
        KegiatanRescheduled(
            unit="35.16",
            kegiatan_id=ambiguous,
            kegiatan=event.kegiatan.model_copy(
                update={"jadwal": Jadwal(mulai=later, selesai=later, presisi="tanggal")}
            ),
            jadwal_sebelumnya=event.kegiatan.jadwal,
        )
    )

    async def moved() -> dict[str, Any] | None:
        found = await kegiatan_row(svc, ambiguous, kab)
        return found if found and found["mulai"] == later.isoformat() else None

    assert (await eventually(moved))["program_id"] == second["id"]

    # A planner who names the program record in planning needs no manual link.
    named = await planning.post(
        "/kegiatan",
        json={
            "unit": "35.16",
            "divisi": "P2H",
            "judul": "Forum Warga Kedua",
            "jenis": "sosialisasi",
            "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
            "program": "forum_warga",
            "program_id": second["id"],
        },
        headers=kab,
    )
    assert named.status_code == 201, named.text
    named_row = await eventually(lambda: kegiatan_row(svc, named.json()["id"], kab))
    assert named_row["program_id"] == second["id"]
    no_kind = await planning.post(
        "/kegiatan",
        json={
            "unit": "35.16",
            "divisi": "P2H",
            "judul": "Tanpa jenis program",
            "program_id": second["id"],
            "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
        },
        headers=kab,
    )
    assert no_kind.status_code == 422 and "program_id" in no_kind.text

    pojok = await svc.post(
        "/program",
        json={
            "unit": "35.16",
            "program": "pojok_pengawasan",
            "nama": "Pojok",
            "pojok_pengawasan": {
                "tempat": "kantor",
                "alamat": "Kantor Bawaslu",
                "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "12:00"}],
            },
        },
        headers=kab,
    )
    wrong = await svc.put(
        f"/program-kegiatan/{ambiguous}/program", json={"program_id": pojok.json()["id"]}, headers=kab
    )
    assert wrong.status_code == 422

    # Komunitas Digital is Bawaslu RI's: a kegiatan of a province it involves belongs to it.
    digital = (
        await svc.post(
            "/program",
            json={
                "unit": "00",
                "program": "komunitas_digital",
                "nama": "Komunitas Digital",
                "komunitas_digital": {"melibatkan": ["62"]},
            },
            headers=ri,
        )
    ).json()
    province_kegiatan = new_id()
    await publish(make_kegiatan(province_kegiatan, "62", Program.KOMUNITAS_DIGITAL, judul="Kelas konten kreator"))
    row = await eventually(lambda: kegiatan_row(svc, province_kegiatan, tokens("62")))
    assert row["program_id"] == digital["id"]
    program_view = (await svc.get(f"/program/{digital['id']}", headers=tokens("62", "viewer"))).json()
    assert program_view["melibatkan"] == ["62"] and program_view["ringkasan"]["kegiatan"] == 1


async def test_a_corrected_kegiatan_keeps_its_program_link_and_status(
    start_service, tokens, publish, make_kegiatan
) -> None:
    """KegiatanUpdated (planning's PATCH of a scheduled kegiatan) changes the title, target and
    place participation keeps; the link to the program and the status stay."""
    svc = await start_service("participation")
    kab = tokens("35.27")
    forum = await svc.post(
        "/program",
        json={"unit": "35.27", "program": "forum_warga", "nama": "Forum Warga Sampang", "forum_warga": FORUM},
        headers=kab,
    )
    assert forum.status_code == 201, forum.text
    kegiatan_id = new_id()
    event = make_kegiatan(kegiatan_id, "35.27", Program.FORUM_WARGA, target_peserta=20)
    await publish(event)
    assert (await eventually(lambda: kegiatan_row(svc, kegiatan_id, kab)))["program_id"] == forum.json()["id"]
    corrected = event.kegiatan.model_copy(
        update={"judul": "Forum Warga Desa Banyuates", "target_peserta": 35, "lokasi": "Balai Desa", "status": None}
    )
    await publish(
        KegiatanUpdated(unit="35.27", kegiatan_id=kegiatan_id, kegiatan=corrected, diubah=["judul", "target_peserta"])
    )

    async def updated() -> dict[str, Any] | None:
        found = await kegiatan_row(svc, kegiatan_id, kab)
        return found if found and found["judul"] == "Forum Warga Desa Banyuates" else None

    row = await eventually(updated)
    assert (row["target_peserta"], row["lokasi"], row["status"]) == (35, "Balai Desa", "scheduled")
    assert row["program_id"] == forum.json()["id"]
