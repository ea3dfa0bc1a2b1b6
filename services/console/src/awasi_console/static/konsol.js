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

  // Beranda's inbox (#kotak): refreshed when the console's relay of notification's stream
  // (data-aliran, server-sent events) says a message arrived; polled every data-poll seconds
  // only where the browser has no EventSource or the stream was refused (signed out: the
  // poll's answer then leads to the sign-in page).
  function inbox() {
    var box = document.getElementById("kotak");
    if (!box || !window.htmx) {
      return;
    }
    var every = (parseInt(box.getAttribute("data-poll"), 10) || 15) * 1000;
    var timer = null;
    var soon = null;
    function refresh() {
      soon = null;
      window.htmx.trigger(box, "awasi:kotak");
    }
    function poll() {
      if (timer === null) {
        timer = window.setInterval(refresh, every);
      }
    }
    var url = box.getAttribute("data-aliran");
    if (!window.EventSource || !url) {
      poll();
      return;
    }
    var source = new window.EventSource(url);
    // data-aliran-terbuka: the stream is open now (set on each (re)connection, not when asked).
    source.addEventListener("open", function () {
      box.setAttribute("data-aliran-terbuka", "1");
    });
    source.addEventListener("pesan", function () {
      if (soon === null) {
        soon = window.setTimeout(refresh, 250); // a burst of messages: one refresh
      }
    });
    source.addEventListener("error", function () {
      box.removeAttribute("data-aliran-terbuka"); // reconnecting, or refused for good
      if (source.readyState === window.EventSource.CLOSED) {
        poll();
      }
    });
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", inbox);
  } else {
    inbox();
  }
})();
