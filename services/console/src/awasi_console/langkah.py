"""The handling steps of a laporan or temuan as the console offers them: only those the law
allows from the case's state (reporting's ``langkah_berikutnya``), each with the article it rests
on in the case's own regime (Pemilu: UU 7/2017 and Perbawaslu 7/2022; Pemilihan: UU 10/2016
and Perbawaslu 8/2020 as amended by Perbawaslu 9/2024)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from awasi_console.web import lines, optional, text

PERBAWASLU = {"pemilu": "Perbawaslu 7/2022", "pilkada": "Perbawaslu 8/2020 jo. Perbawaslu 9/2024"}


@dataclass(frozen=True)
class Langkah:
    kunci: str
    """The API's path segment: /laporan/{id}/<kunci>."""
    label: str
    menuju: str
    """The status the case moves to (one of ``langkah_berikutnya``)."""
    pasal: Callable[[str], str]
    body: Callable[[FormData], dict[str, Any]]
    hanya_laporan: bool = False
    dari: tuple[str, ...] = ()
    """Only from these states (empty: from any state that allows ``menuju``)."""
    oleh: str | None = None
    """Who may take it, as a hint (the service decides)."""


def _catatan(form: FormData) -> dict[str, Any]:
    return {"catatan": optional(form, "catatan")}


def _pemilu(pemilu: str, pilkada: str) -> Callable[[str], str]:
    return lambda pemilihan: pilkada if pemilihan == "pilkada" else pemilu


LANGKAH: tuple[Langkah, ...] = (
    Langkah(
        "kajian-awal",
        "Mulai kajian awal",
        "kajian_awal",
        lambda p: f"{PERBAWASLU.get(p, PERBAWASLU['pemilu'])} (kajian awal 2 hari)",
        _catatan,
        hanya_laporan=True,
        dari=("diterima",),
    ),
    Langkah(
        "dilengkapi",
        "Catat kelengkapan dari pelapor",
        "kajian_awal",
        lambda p: f"{PERBAWASLU.get(p, PERBAWASLU['pemilu'])} (kelengkapan 2 hari)",
        lambda f: {"keterangan": optional(f, "keterangan")},
        hanya_laporan=True,
        dari=("perlu_dilengkapi",),
    ),
    Langkah(
        "perlu-dilengkapi",
        "Minta pelapor melengkapi",
        "perlu_dilengkapi",
        lambda p: f"{PERBAWASLU.get(p, PERBAWASLU['pemilu'])} (kelengkapan syarat formil dan materiel)",
        lambda f: {"kekurangan": lines(f, "kekurangan"), "catatan": optional(f, "catatan")},
        hanya_laporan=True,
    ),
    Langkah(
        "registrasi",
        "Registrasi laporan",
        "diregistrasi",
        _pemilu("Pasal 454 ayat (7) UU 7/2017", "Pasal 134 ayat (5) UU 10/2016"),
        _catatan,
        hanya_laporan=True,
    ),
    Langkah(
        "tidak-diregistrasi",
        "Nyatakan tidak diregistrasi",
        "tidak_diregistrasi",
        _pemilu("Pasal 454 ayat (6) UU 7/2017; Perbawaslu 7/2022", "Pasal 134 ayat (4) UU 10/2016"),
        lambda f: {"alasan": text(f, "alasan"), "keterangan": text(f, "keterangan")},
        hanya_laporan=True,
    ),
    Langkah(
        "klarifikasi",
        "Mulai klarifikasi dan kajian",
        "klarifikasi",
        _pemilu("Pasal 454 ayat (7) UU 7/2017", "Pasal 134 ayat (5) UU 10/2016"),
        _catatan,
    ),
    Langkah(
        "putusan",
        "Tetapkan putusan",
        "putusan",
        _pemilu("Pasal 454 ayat (7) dan (8) UU 7/2017", "Pasal 134 ayat (5) dan (6) UU 10/2016"),
        lambda f: {
            "putusan": text(f, "putusan"),
            "pertimbangan": text(f, "pertimbangan"),
            "instansi": optional(f, "instansi"),
        },
        oleh="pimpinan",
    ),
    Langkah(
        "penerusan",
        "Teruskan kepada instansi tujuan",
        "diteruskan",
        _pemilu("Pasal 455 UU 7/2017", "Pasal 134 ayat (5) UU 10/2016"),
        lambda f: {"nomor_surat": optional(f, "nomor_surat"), "catatan": optional(f, "catatan")},
    ),
    Langkah(
        "pelimpahan",
        "Limpahkan ke unit di bawahnya",
        "dilimpahkan",
        lambda p: PERBAWASLU.get(p, PERBAWASLU["pemilu"]) + " (pelimpahan)",
        lambda f: {"ke_unit": text(f, "ke_unit"), "alasan": text(f, "alasan")},
    ),
    Langkah(
        "pengambilalihan",
        "Ambil alih oleh unit di atasnya",
        "dilimpahkan",
        lambda p: PERBAWASLU.get(p, PERBAWASLU["pemilu"]) + " (pengambilalihan)",
        lambda f: {"ke_unit": text(f, "ke_unit"), "alasan": text(f, "alasan")},
    ),
    Langkah(
        "selesai",
        "Nyatakan selesai",
        "selesai",
        lambda p: PERBAWASLU.get(p, PERBAWASLU["pemilu"]),
        _catatan,
    ),
)
BY_KEY = {langkah.kunci: langkah for langkah in LANGKAH}
PERPANJANGAN = Langkah(
    "perpanjangan",
    "Perpanjang tenggat (keterangan tambahan diperlukan)",
    "",
    _pemilu("Pasal 454 ayat (8) UU 7/2017 (14 hari kerja)", "Pasal 134 ayat (6) UU 10/2016 (3 + 2 hari)"),
    lambda f: {"alasan": text(f, "alasan")},
    dari=("diregistrasi", "klarifikasi"),
)
BY_KEY[PERPANJANGAN.kunci] = PERPANJANGAN


def allowed(perkara: dict[str, Any], jenis: str) -> list[Langkah]:
    """The steps the case's state allows, in the law's order."""
    status = perkara.get("status", "")
    targets = set(perkara.get("langkah_berikutnya") or [])
    found = [
        langkah
        for langkah in LANGKAH
        if langkah.menuju in targets
        and (not langkah.hanya_laporan or jenis == "laporan")
        and (not langkah.dari or status in langkah.dari)
    ]
    if status in PERPANJANGAN.dari and not perkara.get("tenggat_diperpanjang"):
        found.append(PERPANJANGAN)
    return found
