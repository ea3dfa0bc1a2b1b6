"""The importer's reader through each of its states on one document: the opening (title,
letterhead, text before any kegiatan), a table of contents, a division with kegiatan in
sections (one of no known name, one numbered out of order), an unrecognised division heading,
text between kegiatan, and a table of kegiatan whose row goes on over the next line."""

from __future__ import annotations

import datetime as dt

from awasi_common.vocabulary import Divisi
from awasi_planning.domain.importer import JADWAL_TIDAK_DISEBUT, Baris, parse_plan
from awasi_planning.domain.model import Metode, Presisi

DOCUMENT = """\
RENCANA KEGIATAN TAHUN 2023
Jl. Semeru No. 50 Blitar
BAWASLU KABUPATEN BLITAR
Dokumen ini disusun oleh sekretariat.
DAFTAR RENCANA KEGIATAN
1. Rapat Koordinasi Pengawasan
2. Bimbingan Teknis Pengawas
DIVISI PENCEGAHAN, PARTISIPASI MASYARAKAT DAN HUMAS
1. Rapat Koordinasi Pengawasan
I. Latar Belakang
Pengawasan perlu dikoordinasikan.
II. Tujuan
- Menyamakan persepsi
V. Pelaksanaan
Dilaksanakan pada 12 Mei 2023 bertempat di Aula Bawaslu.
VI. Penutup
Demikian rencana ini.
3. Bimbingan Teknis Pengawas
I. Latar Belakang
Pengawas perlu dibekali.
V. Pelaksanaan
Minggu kedua Juni 2023 secara daring.
DIVISI ANEKA URUSAN
Catatan lepas di luar kegiatan.
No\tKegiatan\tTanggal\tKeterangan Tambahan
1\tPatroli Pengawasan\t3 Juli 2023\tmalam hari
dilanjutkan keesokan harinya
2\tSupervisi\tbulan depan\t
"""


def test_every_state_of_the_reader() -> None:
    lines = [Baris(i, text) for i, text in enumerate(DOCUMENT.splitlines(), start=1)]
    plan = parse_plan(lines)

    assert (plan.judul, plan.unit_nama, plan.tahun) == (
        "RENCANA KEGIATAN TAHUN 2023 BAWASLU KABUPATEN BLITAR",
        "Kabupaten Blitar",
        2023,
    )
    assert [(c.nomor, c.alasan) for c in plan.catatan] == [
        (2, "kop surat, tidak diimpor"),
        (4, "teks pembuka di luar kegiatan, tidak diimpor"),
        (18, "nomor kegiatan 3 tidak berurutan (seharusnya 2)"),
        (23, "judul divisi tidak dikenali; kegiatan di bawahnya memakai divisi bawaan"),
        (24, "teks di luar kegiatan mana pun, tidak diimpor"),
        (5, "daftar rencana kegiatan (2 butir), sesuai dengan 2 kegiatan yang diimpor"),
    ]

    rakor, bimtek, patroli, supervisi = plan.kegiatan
    assert (rakor.nomor, rakor.divisi, rakor.judul) == (1, Divisi.P2H, "Rapat Koordinasi Pengawasan")
    assert rakor.tujuan == ["Menyamakan persepsi"] and rakor.lokasi == "Aula Bawaslu"
    assert rakor.jadwal is not None and rakor.jadwal.mulai == dt.date(2023, 5, 12)
    assert [(c.nomor, c.alasan) for c in rakor.catatan] == [
        (16, "bagian tidak dikenal"),
        (17, "isi bagian tidak dikenal"),
    ]

    assert (bimtek.nomor, bimtek.divisi, bimtek.metode) == (3, Divisi.P2H, Metode.DARING)
    assert bimtek.jadwal is not None and bimtek.jadwal.presisi == Presisi.MINGGU

    # Under a division heading the importer does not know, the table's kegiatan have none.
    assert (patroli.nomor, patroli.divisi, patroli.judul) == (1, None, "Patroli Pengawasan")
    assert [(c.teks, c.alasan) for c in patroli.catatan] == [
        ("Keterangan Tambahan: malam hari\ndilanjutkan keesokan harinya", "kolom tidak dikenal")
    ]

    assert supervisi.jadwal is not None and supervisi.jadwal.keterangan == JADWAL_TIDAK_DISEBUT
    assert (supervisi.jadwal.mulai, supervisi.jadwal.selesai) == (dt.date(2023, 5, 1), dt.date(2023, 12, 31))
    assert [(c.teks, c.alasan) for c in supervisi.catatan] == [
        ("bulan depan", "jadwal tidak dapat dibaca"),
        ("Supervisi", "jadwal tidak ditemukan; kegiatan disimpan sebagai draft"),
    ]
