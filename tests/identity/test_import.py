"""Ad hoc staff from a CSV in one request: one account per row with its own activation code,
every row checked, and the whole file refused (naming the row, column and reason) when one
row is wrong."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from awasi_common.events.identity import AccountCreated
from tests.identity.conftest import SANDI, account_events, email_baru, masuk

Tokens = Callable[..., dict[str, str]]
KEC = "35.05.01"


def berkas(text: str, encoding: str = "utf-8") -> dict[str, tuple[str, bytes, str]]:
    return {"berkas": ("pengawas.csv", text.encode(encoding), "text/csv")}


async def _count(identity: httpx.AsyncClient, tokens: Tokens) -> int:
    return len((await identity.get("/akun", params={"unit": KEC}, headers=tokens(KEC, "admin"))).json())


async def test_a_kecamatan_admin_imports_its_pkd_and_tps_supervisors(
    identity: httpx.AsyncClient, tokens: Tokens, kafka_bootstrap: str
) -> None:
    emails = [email_baru("pkd"), email_baru("ptps"), email_baru("ptps")]
    # As a spreadsheet saves it: a BOM, semicolons, spaces around values, empty optional cells.
    text = (
        "\ufeffNama;Email;Unit;Role;NIK;Berlaku_Sampai;Jabatan\n"
        f"Ahmad Fauzi;{emails[0]};35.05.01.2001;pengawas;3505011234567890;2099-03-31;PKD\n"
        f" Sri Wahyuni ; {emails[1].upper()} ;35.05.01.2001.001;pengawas;;2099-02-28;Pengawas TPS\n"
        f"Joko;{emails[2]};35.05.01.2001.002;pengawas;;2099-02-28;\n"
    )
    response = await identity.post("/akun/impor", files=berkas(text), headers=tokens(KEC, "admin"))
    assert response.status_code == 201, response.text
    rows = response.json()
    assert [r["baris"] for r in rows] == [2, 3, 4]
    assert [r["email"] for r in rows] == emails
    assert rows[1]["nama"] == "Sri Wahyuni" and rows[1]["unit"] == "35.05.01.2001.001"
    assert len({r["kode_aktivasi"] for r in rows}) == 3
    body = {"email": emails[1], "kode": rows[1]["kode_aktivasi"], "sandi": SANDI}
    assert (await identity.post("/akun/aktivasi", json=body)).status_code == 200
    assert (await masuk(identity, emails[1])).status_code == 200
    read = await identity.get(f"/akun/{rows[0]['akun_id']}", headers=tokens(KEC, "admin"))
    assert read.json()["berlaku_sampai"] == "2099-03-31" and read.json()["nik"] == "3505011234567890"
    for row in rows:
        events = await account_events(kafka_bootstrap, row["akun_id"], 1)
        assert isinstance(events[0][1], AccountCreated) and events[0][1].berlaku_sampai is not None


async def test_one_wrong_row_refuses_the_whole_file_naming_each_row(
    identity: httpx.AsyncClient, tokens: Tokens
) -> None:
    before = await _count(identity, tokens)
    good, twice = email_baru(), email_baru()
    text = (
        "nama,email,unit,role,nik\n"
        f"Benar,{good},35.05.01.2001,pengawas,\n"
        f"NIK pendek,{email_baru()},35.05.01.2001,pengawas,12345\n"
        f"Unit salah,{email_baru()},35.05.01.99,pengawas,\n"
        f"Dua kali,{twice},35.05.01.2001,pengawas,\n"
        f"Dua kali lagi,{twice},35.05.01.2001,pengawas,\n"
        f"Peran salah,{email_baru()},35.05.01.2001,raja,\n"
    )
    refused = await identity.post("/akun/impor", files=berkas(text), headers=tokens(KEC, "admin"))
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert detail.startswith("Berkas ditolak; tidak ada akun yang dibuat.")
    for told in (
        "Baris 3, kolom nik",
        "Baris 4, kolom unit",
        "Baris 6, kolom email: sama dengan baris 5",
        "Baris 7, kolom role",
    ):
        assert told in detail, (told, detail)
    assert "Baris 2" not in detail
    assert await _count(identity, tokens) == before


async def test_a_row_above_or_beside_the_admin_refuses_the_file(identity: httpx.AsyncClient, tokens: Tokens) -> None:
    before = await _count(identity, tokens)
    text = f"nama,email,unit,role\nA,{email_baru()},35.05.01.2001,pengawas\nB,{email_baru()},35.05.02.2001,pengawas\n"
    refused = await identity.post("/akun/impor", files=berkas(text), headers=tokens(KEC, "admin"))
    assert refused.status_code == 403
    assert "Baris 3" in refused.json()["detail"] and "35.05.02.2001" in refused.json()["detail"]
    assert await _count(identity, tokens) == before
    operator = await identity.post("/akun/impor", files=berkas(text), headers=tokens(KEC, "operator"))
    assert operator.status_code == 403


async def test_an_email_already_in_use_refuses_the_file(identity: httpx.AsyncClient, tokens: Tokens) -> None:
    taken = email_baru()
    first = f"nama,email,unit,role\nA,{taken},35.05.01.2001,pengawas\n"
    assert (await identity.post("/akun/impor", files=berkas(first), headers=tokens(KEC, "admin"))).status_code == 201
    again = f"nama,email,unit,role\nB,{email_baru()},35.05.01.2001,pengawas\nC,{taken},35.05.01.2001,pengawas\n"
    refused = await identity.post("/akun/impor", files=berkas(again), headers=tokens(KEC, "admin"))
    assert refused.status_code == 409 and f"baris 3 ({taken})" in refused.json()["detail"]


async def test_files_that_are_not_a_csv_of_accounts(identity: httpx.AsyncClient, tokens: Tokens) -> None:
    admin = tokens(KEC, "admin")
    cases = [
        (berkas("nama;email;unit;role\nÁ;a@b.id;35.05.01;operator\n", "latin-1"), "UTF-8"),
        (berkas("nama,email,unit,role,gaji\n"), "kolom tidak dikenal: gaji"),
        (berkas("nama,email\n"), "kolom wajib tidak ada: unit, role"),
        (berkas(""), "kosong"),
        (berkas("nama,email,unit,role\n"), "tidak memuat satu baris"),
        (berkas("nama,email,unit,role\nA,a@b.id,35.05.01,operator,lebih\n"), "lebih banyak isian"),
        (berkas("nama,email,unit,role\nA\x00,a@b.id,35.05.01,operator\n"), "NUL"),
    ]
    for files, told in cases:
        response = await identity.post("/akun/impor", files=files, headers=admin)
        assert response.status_code == 422, (told, response.text)
        assert told in response.json()["detail"], (told, response.json())
    huge = {"berkas": ("besar.csv", b"x" * (5 * 1024 * 1024), "text/csv")}
    assert (await identity.post("/akun/impor", files=huge, headers=admin)).status_code == 413
