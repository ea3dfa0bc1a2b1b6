"""Partisipasi: the six programs of Perbawaslu 2/2023 with their rules beside the form, the
programs' kegiatan with peserta and attendance (check-in by the peserta's kode hadir; the
kegiatan's check-in address as a QR code for the door), and the obligations."""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from awasi_console.api import ApiError
from awasi_console.entrypoints.common import sections
from awasi_console.labels import KEWAJIBAN_STATUS, PROGRAM
from awasi_console.sessions import Session
from awasi_console.web import (
    NotAllowed,
    Problems,
    api,
    form_of,
    optional,
    redirect,
    render,
    settings,
    signed_in,
    text,
    values_of,
)

router = APIRouter(prefix="/partisipasi")
ATURAN = {
    "pendidikan_pengawas_partisipatif": (
        "Pasal 5–14",
        "Diselenggarakan Bawaslu, Bawaslu Provinsi dan Bawaslu Kabupaten/Kota; peserta menurut Pasal 6 ayat (1).",
    ),
    "forum_warga": (
        "Pasal 15–18",
        "Ruang diskusi warga tentang pengawasan; dibentuk unit pengawas bersama masyarakat.",
    ),
    "pojok_pengawasan": (
        "Pasal 19–21",
        "Layanan informasi, konsultasi dan penyampaian hasil pengawasan (Pasal 19 ayat (2)); laporan yang diterima "
        "diteruskan ke penanganan.",
    ),
    "kerja_sama_perguruan_tinggi": (
        "Pasal 22–23",
        "Kerja sama dengan perguruan tinggi: pimpinan, dosen dan mahasiswa aktif.",
    ),
    "kampung_pengawasan_partisipatif": (
        "Pasal 24–27",
        "Kampung Pengawasan dengan komunikasi berkala; pengembangan dan inovasi dievaluasi (Pasal 27).",
    ),
    "komunitas_digital": ("Pasal 28–29", "Komunitas konten kreator, jurnalis dan pegiat digital."),
}
KOORDINASI = (
    "Pasal 4 Perbawaslu Nomor 2 Tahun 2023: dikoordinasikan anggota yang membidangi pencegahan, "
    "partisipasi masyarakat dan hubungan masyarakat (P2H)."
)


def _id(value: str) -> str:
    clean = value[:64]
    if not clean.replace("-", "").isalnum():
        raise NotAllowed("Nomor tidak sah.")
    return clean


async def _page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    client = api(request)
    found = await sections(
        program=client.get(session, "participation", "/program", unit=session.unit),
        kegiatan=client.get(session, "participation", "/program-kegiatan", unit=session.unit),
        kewajiban=client.get(session, "participation", "/kewajiban", unit=session.unit),
        pemantauan=client.get(session, "participation", "/pemantauan", unit=session.unit),
        penilaian=client.get(session, "participation", "/penilaian", unit=session.unit),
    )
    return render(
        request,
        "partisipasi.html",
        {
            "judul": "Partisipasi",
            "found": found,
            "program_pilihan": PROGRAM,
            "aturan": ATURAN,
            "koordinasi": KOORDINASI,
            "kewajiban_status": KEWAJIBAN_STATUS,
            "values": values or {"program": "forum_warga"},
            "problems": problems or Problems(),
        },
        status=status,
    )


@router.get("")
async def partisipasi(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _page(request, session)


@router.post("/program")
async def bentuk(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    body: dict[str, Any] = {
        "unit": session.unit,
        "program": text(form, "program"),
        "nama": text(form, "nama"),
        "dibentuk_pada": optional(form, "dibentuk_pada"),
        "keterangan": optional(form, "keterangan"),
    }
    if body["program"] == "forum_warga":
        body["forum_warga"] = {
            "metode": optional(form, "forum_warga.metode"),
            "pertemuan": [v for v in form.getlist("forum_warga.pertemuan") if isinstance(v, str)][:5],
        }
    try:
        made = await api(request).post(session, "participation", "/program", body)
    except ApiError as error:
        return await _page(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    session.say(f"Program “{made['nama']}” dibentuk.")
    return redirect(request, "/partisipasi")


def qr_svg(data: str) -> Markup:
    """A QR code as inline SVG (made here: no image service, no script)."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)


@router.get("/kegiatan/{kegiatan_id}")
async def kegiatan(kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _kegiatan_page(request, session, _id(kegiatan_id))


async def _kegiatan_page(
    request: Request, session: Session, kegiatan_id: str, problems: Problems | None = None, status: int = 200
) -> Response:
    client = api(request)
    found = await sections(
        kegiatan=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}"),
        ringkasan=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}/ringkasan"),
        peserta=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}/peserta"),
    )
    if found["kegiatan"].error:
        raise ApiError(404, found["kegiatan"].error)
    public = settings(request).public_urls.get("participation") or settings(request).service_urls["participation"]
    check_in = f"{public}/program-kegiatan/{kegiatan_id}/kehadiran"
    return render(
        request,
        "partisipasi_kegiatan.html",
        {
            "judul": found["kegiatan"].data["judul"],
            "found": found,
            "k": found["kegiatan"].data,
            "check_in": check_in,
            "qr": qr_svg(check_in),
            "problems": problems or Problems(),
            "program_pilihan": PROGRAM,
        },
        status=status,
    )


@router.post("/kegiatan/{kegiatan_id}/hadir")
async def hadir(kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A peserta checked in at the door by the kode hadir they got when registering."""
    kegiatan_id = _id(kegiatan_id)
    form = await form_of(request)
    kode = text(form, "kode_hadir").upper()[:32]
    try:
        await api(request).post(
            session, "participation", f"/program-kegiatan/{kegiatan_id}/kehadiran", {"kode_hadir": kode}
        )
    except ApiError as error:
        return await _kegiatan_page(request, session, kegiatan_id, Problems.of(error), min(error.status, 502))
    session.say(f"Kehadiran dengan kode {kode} tercatat.")
    return redirect(request, f"/partisipasi/kegiatan/{kegiatan_id}")
