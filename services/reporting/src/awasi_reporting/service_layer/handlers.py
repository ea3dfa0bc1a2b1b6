"""Reporting's use cases: each command's handler, one transaction each (domain rows + outbox
rows). Everything a request could get wrong is checked before the first write, so a refused
request leaves nothing behind.

The handlers live by subject (``intake``, ``penanganan``, ``pengawasan``, ``tenggat``,
``laporan_tahunan``); this module is their one map, run by the service's ``CommandBus``."""

from __future__ import annotations

from collections.abc import Mapping

from awasi_common.commands import Handler
from awasi_reporting import commands as c
from awasi_reporting.service_layer import intake, laporan_tahunan, penanganan, pengawasan, tenggat
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

HANDLERS: Mapping[type, Handler[ReportingUnitOfWork]] = {
    # intake and the reporter
    c.SubmitLaporan: intake.submit_laporan,
    c.LampirkanBukti: intake.add_bukti,
    c.LengkapiOlehPelapor: intake.complete_by_reporter,
    c.LihatIdentitas: intake.reveal_identity,
    c.UnduhBukti: intake.read_bukti,
    # a laporan's own steps
    c.MulaiKajianAwal: penanganan.mulai_kajian_awal,
    c.MintaKelengkapan: penanganan.minta_kelengkapan,
    c.CatatKelengkapan: penanganan.catat_kelengkapan,
    c.RegistrasiLaporan: penanganan.registrasi,
    c.TolakRegistrasi: penanganan.tolak_registrasi,
    # the steps laporan and temuan share
    c.MulaiKlarifikasi: penanganan.mulai_klarifikasi,
    c.PerpanjangTenggat: penanganan.perpanjang,
    c.PutuskanPerkara: penanganan.putuskan,
    c.TeruskanPerkara: penanganan.teruskan,
    c.LimpahkanPerkara: penanganan.limpahkan,
    c.AmbilAlihPerkara: penanganan.ambil_alih,
    c.SelesaikanPerkara: penanganan.selesaikan,
    # temuan and supervision records
    c.CatatTemuan: pengawasan.record_temuan,
    c.SampaikanFormA: pengawasan.submit_form_a,
    c.SampaikanFormAKolektif: pengawasan.submit_form_a_kolektif,
    c.LupakanKunciIdempotensi: pengawasan.forget_idempotency_keys,
    c.CatatPencegahan: pengawasan.record_pengawasan,
    c.CatatPenertibanApk: pengawasan.record_pengawasan,
    c.TerimaPsap: pengawasan.receive_psap,
    c.SelesaikanPsap: pengawasan.finish_psap,
    # deadlines and the annual report
    c.PeriksaTenggat: tenggat.check_deadlines,
    c.TerbitkanLaporanTahunan: laporan_tahunan.terbitkan,
}
