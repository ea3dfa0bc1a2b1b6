"""The console's pages, one router per part of the work."""

from __future__ import annotations

from fastapi import APIRouter

from awasi_console.entrypoints import beranda, langganan, masuk, penanganan, pengawasan, perencanaan

routers: list[APIRouter] = [masuk.router, beranda.router, penanganan.router, pengawasan.router, perencanaan.router, langganan.router]
