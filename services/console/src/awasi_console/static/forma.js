// Form A offline: a form sent without a connection is kept in this browser (localStorage) as a
// draft with its idempotency key, and sent when the connection returns. The console passes the
// key on to reporting (Idempotency-Key), which answers a key it has seen with the first Form A,
// so a draft sent twice makes one Form A.
(function () {
  "use strict";
  var STORE = "awasi.formA.draf";
  var form = document.getElementById("form-a");
  var box = document.getElementById("draf");
  var list = document.getElementById("draf-daftar");
  var status = document.getElementById("draf-status");
  if (!form || !box) { return; }
  var syncing = false;

  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function drafts() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function keep(all) { localStorage.setItem(STORE, JSON.stringify(all)); show(); }
  function say(text) { status.textContent = text; }
  function fieldsOf(f) {
    var out = [];
    new FormData(f).forEach(function (value, name) { if (name !== "csrf") { out.push([name, String(value)]); } });
    return out;
  }
  function valueOf(d, name) {
    for (var i = 0; i < d.fields.length; i++) { if (d.fields[i][0] === name) { return d.fields[i][1]; } }
    return "";
  }
  function show() {
    var all = drafts();
    box.hidden = all.length === 0;
    list.textContent = "";
    all.forEach(function (d) {
      var li = document.createElement("li");
      var title = valueOf(d, "kegiatan.tempat") || "(tanpa tempat)";
      li.appendChild(document.createTextNode(title + " · " + valueOf(d, "kegiatan.tanggal") + " · disimpan " + new Date(d.disimpan).toLocaleString("id-ID")));
      if (d.ditolak) {
        var p = document.createElement("p");
        p.className = "salah-pesan";
        p.textContent = "Ditolak: " + d.ditolak;
        li.appendChild(p);
        var open = document.createElement("button");
        open.type = "button"; open.className = "kedua"; open.textContent = "Buka untuk diperbaiki";
        open.addEventListener("click", function () { restore(d); });
        li.appendChild(open);
      }
      list.appendChild(li);
    });
  }
  function restore(d) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf") { return; }
      if (el.type === "checkbox") {
        el.checked = d.fields.some(function (p) { return p[0] === el.name && p[1] === el.value; });
      } else {
        el.value = valueOf(d, el.name);
      }
    });
    keep(drafts().filter(function (x) { return x.kunci !== d.kunci; }));
    form.scrollIntoView();
  }
  function saveDraft() {
    var all = drafts();
    var kunci = form.elements.kunci.value;
    all = all.filter(function (d) { return d.kunci !== kunci; });
    all.push({ kunci: kunci, fields: fieldsOf(form), disimpan: Date.now() });
    keep(all);
    form.reset();
    form.elements.kunci.value = uuid();
    say("Tidak ada sambungan: Form A disimpan sebagai draf di perangkat ini dan akan dikirim otomatis saat tersambung.");
  }
  function send(fields) {
    var data = new FormData();
    fields.forEach(function (p) { data.append(p[0], p[1]); });
    data.append("csrf", window.awasiCsrf ? window.awasiCsrf() : "");
    return fetch("/pengawasan/form-a", {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Awasi-Draf": "1", "Accept": "application/json" }
    });
  }
  async function sync() {
    if (syncing || !navigator.onLine) { return; }
    syncing = true;
    var sent = 0;
    try {
      for (const d of drafts()) {
        if (d.ditolak) { continue; }
        var response;
        try { response = await send(d.fields); } catch (e) { say("Sambungan belum pulih; draf tetap tersimpan."); break; }
        var type = response.headers.get("content-type") || "";
        if (response.redirected || type.indexOf("application/json") < 0) {
          say("Masuk lagi untuk mengirim draf yang tersimpan."); break;
        }
        var answer = await response.json();
        var all = drafts();
        if (answer.status === "terkirim") {
          keep(all.filter(function (x) { return x.kunci !== d.kunci; }));
          sent += 1;
          say("Draf terkirim: Form A nomor " + answer.nomor + ".");
        } else if (response.status >= 400 && response.status < 500) {
          all.forEach(function (x) { if (x.kunci === d.kunci) { x.ditolak = answer.detail + (answer.pasal ? " (" + answer.pasal + ")" : ""); } });
          keep(all);
        } else {
          say("Layanan belum dapat menerima; draf tetap tersimpan."); break;
        }
      }
    } finally {
      syncing = false;
    }
    if (sent > 0) { setTimeout(function () { window.location.reload(); }, 1500); }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!navigator.onLine) { saveDraft(); return; }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    send(fieldsOf(form)).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (type.indexOf("application/json") < 0) { form.submit(); return; }
      return response.json().then(function (answer) {
        if (answer.status === "terkirim") { window.location.assign("/pengawasan"); }
        else if (response.status >= 400 && response.status < 500) { form.submit(); }  // shown beside the fields
        else { saveDraft(); button.disabled = false; }
      });
    }).catch(function () { saveDraft(); button.disabled = false; });
  });
  window.addEventListener("online", function () { say("Tersambung kembali: mengirim draf…"); sync(); });
  window.addEventListener("offline", function () { say("Tidak ada sambungan: Form A yang dikirim disimpan sebagai draf."); });
  show();
  sync();
})();
