"""Partisipasi: the six programs of Perbawaslu 2/2023 with their rules beside the form, the
programs' kegiatan with peserta (registered here by staff) and attendance (check-in by the
peserta's kode hadir; the kegiatan's check-in address as a QR code for the door), the
obligations, and pemantauan, penilaian and tindak lanjut (Pasal 30–31)."""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from awasi_console.api import ApiError
from awasi_console.entrypoints.common import sections
from awasi_console.formatting import today_in
from awasi_console.labels import KEWAJIBAN_STATUS, PROGRAM
from awasi_console.sessions import Session
from awasi_console.web import (
    Problems,
    api,
    form_of,
    lines,
    optional,
    path_id,
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
    return path_id(value)


async def _page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
    form_name: str = "program",
    open_id: str | None = None,
) -> Response:
    """The page; ``values`` and ``problems`` belong to the form ``form_name`` (``program``,
    ``pemantauan``, ``penilaian`` or ``tindak_lanjut`` of the penilaian ``open_id``)."""
    client = api(request)
    found = await sections(
        program=client.get(session, "participation", "/program", unit=session.unit),
        kegiatan=client.get(session, "participation", "/program-kegiatan", unit=session.unit),
        kewajiban=client.get(session, "participation", "/kewajiban", unit=session.unit),
        pemantauan=client.get(session, "participation", "/pemantauan", unit=session.unit),
        penilaian=client.get(session, "participation", "/penilaian", unit=session.unit),
        indikator=client.get(session, "participation", "/indikator"),
    )
    today = today_in(session.unit)
    defaults: dict[str, dict[str, Any]] = {
        "program": {"program": "forum_warga"},
        "pemantauan": {"tanggal": today.isoformat()},
        "penilaian": {"tahun": str(today.year), "tanggal": today.isoformat(), "unit_dinilai": session.unit},
        "tindak_lanjut": {"tanggal": today.isoformat()},
    }
    forms = {name: ((values or shown) if name == form_name else shown) for name, shown in defaults.items()}
    indikator: dict[str, dict[str, Any]] = {}  # each kode once, across the sets
    for s in found["indikator"].data or []:
        for i in s.get("indikator", []):
            indikator.setdefault(i["kode"], i)
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
            "forms": forms,
            "values": forms["program"],
            "problems": (problems or Problems()) if form_name == "program" else Problems(),
            "form_problems": {form_name: problems or Problems()},
            "kosong": Problems(),
            "open_id": open_id,
            "indikator": indikator,
            "media_pilihan": MEDIA,
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


MEDIA = {"tatap_muka": "Tatap muka", "sistem_teknologi_informasi": "Sistem teknologi informasi", "daring": "Daring"}
"""The channels of a tindak lanjut (Pasal 31 ayat (2))."""


def refused(error: ApiError, *lists: str) -> Problems:
    """The API's refusal for a form: an item of a list field (``cakupan.0``) beside the list's
    field, and the article, when the service names one, beside the field as well as on top."""
    problems = Problems.of(error)
    fields: dict[str, str] = {}
    for name, message in problems.fields.items():
        head = name.split(".")[0]
        key = head if head in lists else name
        fields.setdefault(key, f"{message} (Dasar: {error.pasal})" if error.pasal else message)
    problems.fields = fields
    return problems


async def _refused_page(
    request: Request,
    session: Session,
    form: Any,
    error: ApiError,
    form_name: str,
    *lists: str,
    open_id: str | None = None,
) -> Response:
    return await _page(
        request,
        session,
        values=values_of(form),
        problems=refused(error, *lists),
        status=min(error.status, 502),
        form_name=form_name,
        open_id=open_id,
    )


@router.post("/pemantauan")
async def pemantauan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A pemantauan of the unit (Pasal 30): its date, the units and programs it covered, what it found."""
    form = await form_of(request)
    body = {
        "unit": session.unit,
        "tanggal": text(form, "tanggal") or None,
        "cakupan": lines(form, "cakupan")[:1000],
        "program": [v for v in form.getlist("program") if isinstance(v, str)][:6],
        "ringkasan": text(form, "ringkasan"),
        "temuan": lines(form, "temuan")[:100],
        "rekomendasi": lines(form, "rekomendasi")[:100],
    }
    try:
        await api(request).post(session, "participation", "/pemantauan", body)
    except ApiError as error:
        return await _refused_page(
            request, session, form, error, "pemantauan", "cakupan", "program", "temuan", "rekomendasi"
        )
    session.say("Pemantauan tercatat.")
    return redirect(request, "/partisipasi#h-pemantauan")


@router.post("/penilaian")
async def penilaian(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A penilaian (Pasal 30 ayat (2)): by the indicators of a set, on the unit's pemantauan."""
    form = await form_of(request)
    nilai: dict[str, float | str] = {}
    for key in list(form)[:200]:
        value = text(form, key).replace(",", ".")
        if key.startswith("nilai.") and value:
            try:
                nilai[key.removeprefix("nilai.")[:64]] = float(value)
            except ValueError:
                nilai[key.removeprefix("nilai.")[:64]] = value  # the API refuses it beside its field
    body = {
        "unit": session.unit,
        "unit_dinilai": optional(form, "unit_dinilai"),
        "tahun": text(form, "tahun") or None,
        "indikator_set_id": optional(form, "indikator_set_id"),
        "nilai": nilai,
        "pemantauan_ids": [v[:64] for v in form.getlist("pemantauan_ids") if isinstance(v, str)][:100],
        "tanggal": text(form, "tanggal") or None,
        "catatan": optional(form, "catatan"),
    }
    try:
        made = await api(request).post(session, "participation", "/penilaian", body)
    except ApiError as error:
        return await _refused_page(request, session, form, error, "penilaian", "pemantauan_ids")
    hasil = "memenuhi" if made.get("memenuhi") else "belum memenuhi; tindak lanjut diperlukan (Pasal 31)"
    session.say(f"Penilaian tersimpan: skor {made.get('skor')}, {hasil}.")
    return redirect(request, "/partisipasi#h-penilaian")


@router.post("/penilaian/{penilaian_id}/tindak-lanjut")
async def tindak_lanjut(
    penilaian_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    """The tindak lanjut of an unmet penilaian (Pasal 31): evaluasi, strategi baru, media."""
    penilaian_id = _id(penilaian_id)
    form = await form_of(request)
    body = {
        "evaluasi": text(form, "evaluasi"),
        "strategi_baru": text(form, "strategi_baru"),
        "media": [v for v in form.getlist("media") if isinstance(v, str)][:3],
        "tanggal": text(form, "tanggal") or None,
    }
    try:
        await api(request).post(session, "participation", f"/penilaian/{penilaian_id}/tindak-lanjut", body)
    except ApiError as error:
        return await _refused_page(request, session, form, error, "tindak_lanjut", "media", open_id=penilaian_id)
    session.say("Tindak lanjut tercatat.")
    return redirect(request, "/partisipasi#h-penilaian")


def qr_svg(data: str) -> Markup:
    """A QR code as inline SVG (made here: no image service, no script)."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)


@router.get("/kegiatan/{kegiatan_id}")
async def kegiatan(kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _kegiatan_page(request, session, _id(kegiatan_id))


async def _kegiatan_page(
    request: Request,
    session: Session,
    kegiatan_id: str,
    problems: Problems | None = None,
    status: int = 200,
    *,
    daftar: Problems | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The kegiatan's page; ``problems`` belong to the check-in form, ``daftar`` and ``values``
    to the registration form."""
    client = api(request)
    found = await sections(
        kegiatan=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}"),
        ringkasan=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}/ringkasan"),
        peserta=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}/peserta"),
        info=client.get(session, "participation", f"/program-kegiatan/{kegiatan_id}/info"),
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
            "daftar": daftar or Problems(),
            "values": values or {},
            "sasaran_pilihan": [
                (v, v.replace("_", " ").capitalize()) for v in (found["info"].data or {}).get("sasaran", [])
            ],
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


@router.post("/kegiatan/{kegiatan_id}/peserta")
async def daftar_peserta(
    kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    """A peserta registered by staff (e.g. at the door); the kode hadir they get is shown."""
    kegiatan_id = _id(kegiatan_id)
    form = await form_of(request)
    body = {
        "nama": text(form, "nama"),
        "sasaran": text(form, "sasaran"),
        "instansi": optional(form, "instansi"),
        "jenis_kelamin": optional(form, "jenis_kelamin"),
        "email": optional(form, "email"),
        "telepon": optional(form, "telepon"),
    }
    try:
        made = await api(request).post(session, "participation", f"/program-kegiatan/{kegiatan_id}/peserta", body)
    except ApiError as error:
        return await _kegiatan_page(
            request, session, kegiatan_id, status=min(error.status, 502), daftar=refused(error), values=values_of(form)
        )
    session.say(f"{body['nama']} terdaftar; kode hadir {made['kode_hadir']}.")
    return redirect(request, f"/partisipasi/kegiatan/{kegiatan_id}")
