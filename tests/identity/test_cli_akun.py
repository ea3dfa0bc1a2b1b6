"""``awasi akun`` (issue 15, item 9): an admin manages accounts from the command line against the
running identity service over real HTTP — create, import a CSV, reset, disable, list — with the
API's refusals passed on."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from awasi_cli.testing import process_env
from tests.identity.conftest import SANDI
from tests.identity.test_services_verify import Issuer, Tokens, issuer  # noqa: F401 - the fixture

AWASI = str(Path(sys.executable).parent / "awasi")


async def awasi(issuer: Issuer, *args: str) -> tuple[int, str]:  # noqa: F811
    env = process_env()
    env |= {"AWASI_IDENTITY_URL": issuer.url, "COLUMNS": "250"}
    process = await asyncio.create_subprocess_exec(
        AWASI, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, output.decode()


CODE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}")


async def test_an_admin_manages_accounts_from_the_command_line(issuer: Issuer, tokens: Tokens, tmp_path: Path) -> None:  # noqa: F811
    identity = issuer.client
    admin = tokens("35.05", "admin")
    code, output = await awasi(
        issuer, "akun", "buat", "--nama", "Rina Wulandari", "--email", "rina.cli@bawaslu.go.id", "--unit", "35.05",
        "--role", "operator", "--divisi", "P2H", "--jabatan", "Staf P2H",
    )  # fmt: skip
    assert code == 0, output
    (kode,) = CODE.findall(output)
    activated = await identity.post(
        "/akun/aktivasi", json={"email": "rina.cli@bawaslu.go.id", "kode": kode, "sandi": SANDI}
    )
    assert activated.status_code == 200, activated.text
    akun = activated.json()["akun"]
    assert (akun["unit"], akun["role"], akun["divisi"]) == ("35.05", "operator", "P2H")

    csv = tmp_path / "pengawas.csv"
    csv.write_text(
        "nama,email,unit,role,berlaku_sampai\n"
        "Adi,adi.cli@bawaslu.go.id,35.05.01,pengawas,2099-12-31\n"
        "Budi,budi.cli@bawaslu.go.id,35.05.02,pengawas,2099-12-31\n"
    )
    code, output = await awasi(issuer, "akun", "impor", str(csv))
    assert code == 0 and len(CODE.findall(output)) == 2, output
    wrong = tmp_path / "salah.csv"
    wrong.write_text("nama,email,unit,role\nCici,cici.cli@bawaslu.go.id,35.05,raja\n")
    code, output = await awasi(issuer, "akun", "impor", str(wrong))
    assert code == 1 and "Ditolak (422)" in output and "baris 2" in output.lower(), output

    code, output = await awasi(issuer, "akun", "daftar", "--unit", "35.05")
    assert code == 0 and "rina.cli@bawaslu.go.id" in output and "adi.cli@bawaslu.go.id" in output, output

    code, output = await awasi(issuer, "akun", "reset", akun["id"])
    assert code == 0 and len(CODE.findall(output)) == 1, output
    code, output = await awasi(issuer, "akun", "nonaktifkan", akun["id"])
    assert code == 0 and "dinonaktifkan" in output, output
    read = (await identity.get(f"/akun/{akun['id']}", headers=admin)).json()
    assert read["status"] == "nonaktif" and read["dinonaktifkan_pada"], read
    code, output = await awasi(issuer, "akun", "nonaktifkan", "00000000-0000-4000-8000-000000000000")
    assert code == 1 and "Ditolak (404)" in output, output
