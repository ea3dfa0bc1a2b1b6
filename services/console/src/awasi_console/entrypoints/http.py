"""The console's pages, one router per part of the work."""

from __future__ import annotations

from fastapi import APIRouter

from awasi_console.entrypoints import (
    akun,
    angka,
    beranda,
    kalender,
    langganan,
    masuk,
    operasi,
    partisipasi,
    penanganan,
    pengawasan,
    perencanaan,
)

routers: list[APIRouter] = [
    masuk.router,
    beranda.router,
    penanganan.router,
    pengawasan.router,
    kalender.router,  # before perencanaan's /{kegiatan_id}
    perencanaan.router,
    partisipasi.router,
    angka.router,
    langganan.router,
    akun.router,
    operasi.router,
]
