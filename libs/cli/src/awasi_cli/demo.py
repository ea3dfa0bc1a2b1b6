"""Demo data written for the project, so a newcomer's first ``make run`` shows a living platform.

Everything here is invented for Awasi's demo: a Kab/Kota's year of kegiatan across its
divisions and a citizen's laporan. It goes in through the public APIs, like any client.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from awasi_common.vocabulary import Divisi, Role

if TYPE_CHECKING:
    from awasi_common.tokens import DevelopmentIssuer

DEMO_UNIT = "35.05"


def _kegiatan(today: dt.date) -> list[dict[str, object]]:
    def window(days_from_now: int, length: int = 1) -> dict[str, str]:
        start = today + dt.timedelta(days=days_from_now)
        return {"mulai": start.isoformat(), "selesai": (start + dt.timedelta(days=length - 1)).isoformat()}

    return [
        {
            "unit": DEMO_UNIT,
            "divisi": "P2H",
            "jenis": "sosialisasi",
            "judul": "Sosialisasi Pengawasan Partisipatif bagi Pemilih Pemula",
            "jadwal": {**window(5), "presisi": "tanggal"},
            "latar_belakang": "Pemilih pemula perlu mengenal cara melaporkan dugaan pelanggaran.",
            "tujuan": ["Meningkatkan pemahaman pemilih pemula tentang pengawasan pemilu"],
            "output": ["Peserta memahami tata cara penyampaian laporan"],
            "sasaran": ["Pelajar SMA/SMK", "Mahasiswa"],
            "metode": "luring",
            "target_peserta": {"jumlah": 80, "keterangan": "pelajar dan mahasiswa"},
            "lokasi": "Aula Bawaslu Kabupaten Blitar",
            "anggaran": 15_000_000,
            "program": "pendidikan_pengawas_partisipatif",
        },
        {
            "unit": DEMO_UNIT,
            "divisi": "P2H",
            "jenis": "rapat_koordinasi",
            "judul": "Forum Warga Desa Kademangan",
            "jadwal": {**window(12), "presisi": "tanggal"},
            "tujuan": ["Menjaring masukan warga tentang kerawanan pemilu"],
            "sasaran": ["Tokoh masyarakat", "Pemuda"],
            "metode": "luring",
            "target_peserta": {"jumlah": 40},
            "lokasi": "Balai Desa Kademangan",
            "program": "forum_warga",
            "anggaran": 5_000_000,
        },
        {
            "unit": DEMO_UNIT,
            "divisi": "PP-Datin",
            "jenis": "bimbingan_teknis",
            "judul": "Bimbingan Teknis Penanganan Pelanggaran bagi Panwaslu Kecamatan",
            "jadwal": {**window(20, 3), "presisi": "rentang_tanggal"},
            "metode": "hybrid",
            "target_peserta": {"jumlah": 66, "luring": 44, "daring": 22},
            "lokasi": "Kantor Bawaslu Kabupaten Blitar",
            "anggaran": 30_000_000,
        },
        {
            "unit": DEMO_UNIT,
            "divisi": "SDMO",
            "jenis": "penyusunan_laporan",
            "judul": "Penyusunan Laporan Kinerja Triwulan",
            "jadwal": {**window(30, 5), "presisi": "rentang_tanggal"},
            "metode": "luring",
        },
    ]


def _laporan(today: dt.date) -> dict[str, object]:
    return {
        "unit": DEMO_UNIT,
        "kanal": "web",
        "pelapor": {"nama": "Warga Contoh", "email": "warga.contoh@example.org"},
        "terlapor": "Tim kampanye calon fiktif",
        "peristiwa": {
            "apa": "Pembagian sembako disertai ajakan memilih calon tertentu",
            "tempat": "Pasar Wlingi",
            "waktu_kejadian": (today - dt.timedelta(days=2)).isoformat(),
            "waktu_diketahui": (today - dt.timedelta(days=1)).isoformat(),
        },
        "uraian": "Pada pagi hari terlihat pembagian paket sembako oleh tim kampanye disertai ajakan memilih.",
    }


def _programs(today: dt.date) -> list[dict[str, object]]:
    """Programs formed before their kegiatan are planned, so participation links them."""
    return [
        {
            "unit": DEMO_UNIT,
            "program": "forum_warga",
            "nama": "Forum Warga Kademangan",
            "dibentuk_pada": (today - dt.timedelta(days=30)).isoformat(),
            "forum_warga": {"metode": "dialogis", "pertemuan": ["tatap_muka"]},
        },
        {
            "unit": DEMO_UNIT,
            "program": "pojok_pengawasan",
            "nama": "Pojok Pengawasan Bawaslu Blitar",
            "dibentuk_pada": (today - dt.timedelta(days=60)).isoformat(),
            "pojok_pengawasan": {
                "tempat": "kantor",
                "alamat": "Kantor Bawaslu Kabupaten Blitar",
                "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "16:00"}],
            },
        },
    ]


def load(urls: dict[str, str], tokens: DevelopmentIssuer) -> dict[str, int]:
    today = dt.date.today()
    headers = {"Authorization": f"Bearer {tokens.issue(unit=DEMO_UNIT, role=Role.OPERATOR, divisi=Divisi.P2H)}"}
    created = {"program": 0, "kegiatan": 0, "laporan": 0}
    with httpx.Client(timeout=10) as client:
        for body in _programs(today):
            client.post(f"{urls['participation']}/program", json=body, headers=headers).raise_for_status()
            created["program"] += 1
        for body in _kegiatan(today):
            client.post(f"{urls['planning']}/kegiatan", json=body, headers=headers).raise_for_status()
            created["kegiatan"] += 1
        client.post(f"{urls['reporting']}/laporan", json=_laporan(today)).raise_for_status()
        created["laporan"] += 1
    return created


DEMO_ACCOUNTS_FILE = "demo-akun.json"
"""In the data directory (its owner alone reads it): the demo accounts' passwords, printed by
``awasi up`` at every start in development."""

_ROLES: tuple[tuple[Role, Divisi | None, str], ...] = (
    (Role.ADMIN, None, "Admin Bawaslu Kabupaten Blitar"),
    (Role.OPERATOR, Divisi.P2H, "Staf Divisi P2H"),
    (Role.PENANGANAN, Divisi.PP_DATIN, "Staf Penanganan Pelanggaran"),
    (Role.PENGAWAS, None, "Panwaslu Kecamatan"),
    (Role.PIMPINAN, Divisi.P2H, "Anggota Bawaslu Kabupaten Blitar"),
    (Role.VIEWER, None, "Pemantau"),
)


def load_accounts(urls: dict[str, str], tokens: DevelopmentIssuer, data_dir: Path) -> list[dict[str, str]]:
    """One account per role at the demo unit, made and activated through identity's API like an
    admin and their owners would; kept in the data directory (0600) for :func:`saved_accounts`."""
    admin = {"Authorization": f"Bearer {tokens.issue(unit='00', role=Role.ADMIN, subject='awasi-up-demo')}"}
    accounts: list[dict[str, str]] = []
    with httpx.Client(base_url=urls["identity"], timeout=30) as client:
        for role, divisi, jabatan in _ROLES:
            body: dict[str, object] = {
                "nama": f"Demo {role.value.capitalize()} Blitar",
                "email": f"{role.value}.blitar@contoh.bawaslu.go.id",
                "unit": DEMO_UNIT,
                "role": role.value,
                "jabatan": jabatan,
            }
            if divisi:
                body["divisi"] = divisi.value
            made = client.post("/akun", json=body, headers=admin)
            made.raise_for_status()
            sandi = secrets.token_urlsafe(12)
            activation = {"email": body["email"], "kode": made.json()["kode_aktivasi"], "sandi": sandi}
            activated = client.post("/akun/aktivasi", json=activation)
            activated.raise_for_status()
            totp = activated.json().get("totp")
            account = {"role": role.value, "email": str(body["email"]), "sandi": sandi}
            if totp:
                account["totp"] = totp["rahasia"]
            accounts.append(account)
    path = data_dir / DEMO_ACCOUNTS_FILE
    path.touch(mode=0o600)
    path.write_text(json.dumps(accounts, indent=2))
    return accounts


def saved_accounts(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / DEMO_ACCOUNTS_FILE
    if not path.exists():
        return []
    loaded: list[dict[str, str]] = json.loads(path.read_text())
    return loaded
