"""Words the published contracts share: the roles tokens carry, Bawaslu's divisions and the six
participatory supervision programs of Perbawaslu 2/2023. Their rules live in the services that
own them (what a role may do: ``awasi_common.auth``). No imports beyond the standard library:
the ``awasi`` command reads these words without loading a web framework."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    """Platform administrator; at RI level may act on every unit."""
    OPERATOR = "operator"
    """Staff of a unit who plan, record and publish its work."""
    PENANGANAN = "penanganan"
    """Handles laporan and temuan; may see reporters' identities of its unit's cases."""
    PENGAWAS = "pengawas"
    """Field supervisor (down to TPS) who files Form A."""
    PIMPINAN = "pimpinan"
    """Members (ketua/anggota) of a unit: read everything below, decide on cases."""
    VIEWER = "viewer"
    """Read only."""
    AGENCY = "agency"
    """Another institution (KPU, DKPP, Sentra Gakkumdu, pemerintah daerah) subscribing to events."""


class Divisi(StrEnum):
    SDMO = "SDMO"
    """SDM, Organisasi dan Diklat."""
    HPS = "HPS"
    """Hukum dan Penyelesaian Sengketa."""
    PP_DATIN = "PP-Datin"
    """Penanganan Pelanggaran dan Data Informasi."""
    P2H = "P2H"
    """Pencegahan, Partisipasi Masyarakat dan Hubungan Masyarakat."""

    @property
    def nama(self) -> str:
        return DIVISI_NAMA[self]


DIVISI_NAMA = {
    Divisi.SDMO: "Sumber Daya Manusia, Organisasi dan Diklat",
    Divisi.HPS: "Hukum dan Penyelesaian Sengketa",
    Divisi.PP_DATIN: "Penanganan Pelanggaran dan Data Informasi",
    Divisi.P2H: "Pencegahan, Partisipasi Masyarakat dan Hubungan Masyarakat",
}


class Program(StrEnum):
    PENDIDIKAN_PENGAWAS_PARTISIPATIF = "pendidikan_pengawas_partisipatif"
    FORUM_WARGA = "forum_warga"
    POJOK_PENGAWASAN = "pojok_pengawasan"
    KERJA_SAMA_PERGURUAN_TINGGI = "kerja_sama_perguruan_tinggi"
    KAMPUNG_PENGAWASAN = "kampung_pengawasan_partisipatif"
    KOMUNITAS_DIGITAL = "komunitas_digital"

    @property
    def nama(self) -> str:
        return PROGRAM_NAMA[self]


PROGRAM_NAMA = {
    Program.PENDIDIKAN_PENGAWAS_PARTISIPATIF: "Pendidikan Pengawas Partisipatif",
    Program.FORUM_WARGA: "Forum Warga",
    Program.POJOK_PENGAWASAN: "Pojok Pengawasan",
    Program.KERJA_SAMA_PERGURUAN_TINGGI: "Kerja Sama dengan Perguruan Tinggi",
    Program.KAMPUNG_PENGAWASAN: "Kampung Pengawasan Partisipatif",
    Program.KOMUNITAS_DIGITAL: "Komunitas Digital",
}
