// Rounds works without JavaScript; this file only adds a live preview to
// the composer. The preview endpoint renders exactly as saving would.
(function () {
  "use strict";

  function setupComposer(form) {
    var button = form.querySelector("[data-preview-button]");
    var section = form.querySelector("[data-preview]");
    var target = form.querySelector("[data-preview-body]");
    var body = form.querySelector("textarea[name=body]");
    var csrf = form.querySelector("input[name=_csrf]");
    if (!button || !section || !target || !body || !csrf || !window.fetch) {
      return;
    }
    var timer = null;
    var pending = null;

    function refresh() {
      if (pending) {
        pending.abort();
      }
      if (body.value.trim() === "") {
        section.hidden = true;
        return;
      }
      pending = new AbortController();
      var data = new URLSearchParams();
      data.set("_csrf", csrf.value);
      data.set("body", body.value);
      fetch("/preview", {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf.value },
        signal: pending.signal
      }).then(function (res) {
        if (!res.ok) {
          throw new Error("preview failed: " + res.status);
        }
        return res.text();
      }).then(function (html) {
        // The server returns sanitized HTML, the same it would store.
        target.innerHTML = html;
        section.hidden = false;
      }).catch(function (err) {
        if (err.name !== "AbortError") {
          target.textContent = "The preview is not available right now; your text is safe.";
          section.hidden = false;
        }
      });
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      refresh();
    });
    body.addEventListener("input", function () {
      if (section.hidden) {
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-composer]");
    for (var i = 0; i < forms.length; i++) {
      setupComposer(forms[i]);
    }
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
