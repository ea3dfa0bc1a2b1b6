// Batas waktu melapor on the public lapor form (progressive enhancement): asks the platform's
// own calculator, GET /publik/tenggat, so the citizen sees the rule the platform applies.
// Without JavaScript the form works the same; the help text then states the rule in words.
(function () {
  "use strict";
  var form = document.querySelector("form[action='/publik/lapor']");
  var out = document.getElementById("batas-lapor");
  if (!form || !out || !window.fetch) { return; }
  var BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
  var HARI = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
  function tanggal(iso) {
    var p = iso.split("-");
    var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    return HARI[d.getUTCDay()] + ", " + (+p[2]) + " " + BULAN[+p[1] - 1] + " " + p[0];
  }
  function hariIni() {
    var d = new Date();
    var m = String(d.getMonth() + 1).padStart(2, "0");
    var h = String(d.getDate()).padStart(2, "0");
    return d.getFullYear() + "-" + m + "-" + h;
  }
  var pending = 0;
  function update() {
    var unit = form.elements.unit ? form.elements.unit.value : "";
    var known = form.elements["peristiwa.waktu_diketahui"];
    var chosen = form.querySelector("input[name='pemilihan']:checked");
    if (!unit || !known || !known.value || !chosen) { out.textContent = ""; return; }
    var query = new URLSearchParams({
      pemilihan: chosen.value, unit: unit, diketahui: known.value, disampaikan: hariIni()
    });
    var mine = ++pending;
    fetch("/publik/tenggat?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (mine !== pending) { return; }
        if (!t) { out.textContent = ""; return; }
        var satuan = t.hari === "kerja" ? "hari kerja" : "hari kalender";
        var text = "Batas waktu melapor: " + tanggal(t.batas_lapor) + " (" + t.lapor_hari + " " + satuan + " sejak diketahui, " +
          t.dasar[0] + ").";
        if (t.daluwarsa) {
          text += " Batas itu sudah lewat: laporan tetap diterima, tetapi dapat tidak diregistrasi karena daluwarsa.";
        }
        out.textContent = text;
      })
      .catch(function () { if (mine === pending) { out.textContent = ""; } });
  }
  form.addEventListener("change", function (e) {
    var n = e.target && e.target.name;
    if (n === "unit" || n === "pemilihan" || n === "peristiwa.waktu_diketahui") { update(); }
  });
  update();
})();
