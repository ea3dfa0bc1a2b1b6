// Awasi console: what every page shares. Pages work without it; with it htmx requests carry
// the session's CSRF token in a header (forms carry it as a hidden field).
(function () {
  "use strict";
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });
  window.awasiCsrf = csrf;
})();
