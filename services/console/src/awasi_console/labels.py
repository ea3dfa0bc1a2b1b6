"""The words the pages show for the services' codes (the services answer with codes)."""

from __future__ import annotations

from awasi_common.vocabulary import DIVISI_NAMA, PROGRAM_NAMA

KEGIATAN_STATUS = {
    "draft": "Draf",
    "scheduled": "Terjadwal",
    "rescheduled": "Dijadwal ulang",
    "completed": "Terlaksana",
    "cancelled": "Dibatalkan",
}
JENIS_KEGIATAN = {
    "rapat_koordinasi": "Rapat koordinasi",
    "bimbingan_teknis": "Bimbingan teknis",
    "sosialisasi": "Sosialisasi",
    "supervisi_monitoring": "Supervisi dan monitoring",
    "patroli_pengawasan": "Patroli pengawasan",
    "kunjungan_kelembagaan": "Kunjungan kelembagaan",
    "pengawasan_tahapan": "Pengawasan tahapan",
    "penyusunan_laporan": "Penyusunan laporan",
    "kerja_sama": "Kerja sama",
    "layanan_informasi": "Layanan informasi",
    "lainnya": "Lainnya",
}
METODE = {"luring": "Luring", "daring": "Daring", "hybrid": "Hibrida"}
PRESISI = {
    "tanggal": "Tanggal pasti",
    "rentang_tanggal": "Rentang tanggal",
    "minggu": "Minggu",
    "bulan": "Bulan",
    "rentang_bulan": "Rentang bulan",
    "berulang": "Berulang",
}
DIVISI = {str(k): f"{k} — {v}" for k, v in DIVISI_NAMA.items()}
PROGRAM = {str(k): v for k, v in PROGRAM_NAMA.items()}
TAHAPAN = {
    "perencanaan_program_anggaran": "Perencanaan program dan anggaran",
    "pemutakhiran_data_pemilih": "Pemutakhiran data pemilih",
    "pendaftaran_verifikasi_peserta": "Pendaftaran dan verifikasi peserta",
    "penetapan_peserta": "Penetapan peserta",
    "penetapan_kursi_dapil": "Penetapan kursi dan daerah pemilihan",
    "pencalonan": "Pencalonan",
    "kampanye": "Kampanye",
    "masa_tenang": "Masa tenang",
    "pemungutan_penghitungan_suara": "Pemungutan dan penghitungan suara",
    "rekapitulasi_penetapan_hasil": "Rekapitulasi dan penetapan hasil",
    "pengucapan_sumpah_janji": "Pengucapan sumpah/janji",
    "non_tahapan": "Di luar tahapan",
}
BENTUK_PENGAWASAN = {
    "langsung": "Pengawasan langsung",
    "pencegahan": "Pencegahan",
    "analisis": "Analisis",
    "penetapan_pelanggaran": "Penetapan pelanggaran",
    "penindakan": "Penindakan",
    "penyelesaian_sengketa": "Penyelesaian sengketa",
}
PEMILIHAN = {"pemilu": "Pemilu (UU 7/2017)", "pilkada": "Pemilihan (UU 10/2016)"}
KEWAJIBAN_STATUS = {"terpenuhi": "Terpenuhi", "berjalan": "Berjalan", "terlewat": "Terlewat"}
