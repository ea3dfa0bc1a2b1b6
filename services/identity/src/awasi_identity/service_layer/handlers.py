"""Identity's use cases, one handler per command (in service_layer/akun.py, masuk.py and
kunci.py). Each runs in one unit of work: account rows, audit rows and events commit together."""

from __future__ import annotations

from typing import Any

from awasi_identity.commands import (
    AktivasiAkun,
    AturUlangSandi,
    BuatAkun,
    BuatKodeAktivasi,
    DaftarkanKlien,
    HapusTokenKedaluwarsa,
    ImporAkun,
    Keluar,
    MasukDenganSandi,
    MasukKlien,
    MintaResetSandi,
    NonaktifkanAkun,
    NonaktifkanKlien,
    RotasiKunci,
    SegarkanToken,
    UbahAkun,
)
from awasi_identity.service_layer.akun import buat_akun, buat_kode_aktivasi, impor_akun, nonaktifkan_akun, ubah_akun
from awasi_identity.service_layer.klien import daftarkan_klien, masuk_klien, nonaktifkan_klien
from awasi_identity.service_layer.kunci import rotasi_kunci
from awasi_identity.service_layer.masuk import (
    aktivasi_akun,
    hapus_token_kedaluwarsa,
    keluar,
    masuk_dengan_sandi,
    segarkan_token,
)
from awasi_identity.service_layer.reset import atur_ulang_sandi, minta_reset_sandi

HANDLERS: dict[type, Any] = {
    MintaResetSandi: minta_reset_sandi,
    AturUlangSandi: atur_ulang_sandi,
    DaftarkanKlien: daftarkan_klien,
    NonaktifkanKlien: nonaktifkan_klien,
    MasukKlien: masuk_klien,
    BuatAkun: buat_akun,
    ImporAkun: impor_akun,
    UbahAkun: ubah_akun,
    NonaktifkanAkun: nonaktifkan_akun,
    BuatKodeAktivasi: buat_kode_aktivasi,
    AktivasiAkun: aktivasi_akun,
    MasukDenganSandi: masuk_dengan_sandi,
    SegarkanToken: segarkan_token,
    RotasiKunci: rotasi_kunci,
    HapusTokenKedaluwarsa: hapus_token_kedaluwarsa,
    Keluar: keluar,
}
