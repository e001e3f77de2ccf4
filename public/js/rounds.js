// Rounds works without JavaScript; this file only adds a live preview to
// the composer (the preview endpoint renders exactly as saving would),
// takes a refused field's message away once the member changes it, lets
// timestamps in podcast topics seek the episode's player, suggests the
// browser's time zone for the digest, and closes the phone's menu on
// Escape or a tap outside it.
(function () {
  "use strict";

  function setupComposer(form) {
    var button = form.querySelector("[data-preview-button]");
    var section = form.querySelector("[data-preview]");
    var target = form.querySelector("[data-preview-body]");
    var body = form.querySelector("textarea[name=body]");
    var csrf = form.querySelector("input[name=_csrf]");
    var title = form.querySelector("input[name=title]");
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
      if (title) {
        data.set("title", title.value);
      }
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
    // The preview follows the text as it is typed, from the first key;
    // the button only asks for it at once.
    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }
    body.addEventListener("input", later);
    if (title) {
      title.addEventListener("input", later);
    }
  }

  // A field the server refused keeps its message only until the member
  // changes it: the message, the field's marking and its line in the
  // summary at the top go, so a field put right no longer reads as wrong
  // (the server checks everything again when the form is sent).
  function setupFieldErrors(form) {
    var summary = form.querySelector(".error-summary");
    var fields = form.querySelectorAll(".invalid");
    for (var i = 0; i < fields.length; i++) {
      watchField(fields[i], summary);
    }
  }

  function watchField(field, summary) {
    var id = field.id && field.id.indexOf("field-") === 0 ? field.id : "";
    if (!id) {
      var control = field.querySelector("[id^='field-']");
      id = control ? control.id : "";
    }
    function clear() {
      field.removeEventListener("input", clear);
      field.removeEventListener("change", clear);
      field.classList.remove("invalid");
      var errors = field.querySelectorAll(".field-error");
      for (var i = 0; i < errors.length; i++) {
        var described = field.querySelectorAll("[aria-describedby]");
        for (var j = 0; j < described.length; j++) {
          var ids = described[j].getAttribute("aria-describedby").split(/\s+/).filter(function (x) {
            return x && x !== errors[i].id;
          });
          described[j].setAttribute("aria-describedby", ids.join(" "));
        }
        errors[i].parentNode.removeChild(errors[i]);
      }
      var marked = field.querySelectorAll("[aria-invalid]");
      for (var k = 0; k < marked.length; k++) {
        marked[k].removeAttribute("aria-invalid");
      }
      if (summary && id) {
        var link = summary.querySelector("a[href='#" + id + "']");
        if (link && link.parentNode) {
          link.parentNode.parentNode.removeChild(link.parentNode);
        }
        if (!summary.querySelector("li") && summary.parentNode) {
          summary.parentNode.removeChild(summary);
        }
      }
    }
    field.addEventListener("input", clear);
    field.addEventListener("change", clear);
  }

  // On a podcast topic, a timestamp in a post seeks the page's own player
  // instead of opening the audio file at that moment (what the link does
  // without script). On the episode picker, the title follows the chosen
  // episode until the member edits it.
  function setupPodcast() {
    var player = document.getElementById("episode-player");
    if (player) {
      document.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a.timestamp[data-seek]") : null;
        if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return;
        }
        var seconds = parseInt(link.getAttribute("data-seek"), 10);
        if (isNaN(seconds)) {
          return;
        }
        event.preventDefault();
        player.preload = "auto";
        try {
          player.currentTime = seconds;
        } catch (err) {
          // Not seekable before its metadata: seek once it is.
          player.addEventListener("loadedmetadata", function () { player.currentTime = seconds; }, { once: true });
        }
        var played = player.play();
        if (played && played.catch) {
          played.catch(function () {});
        }
        player.scrollIntoView({ block: "nearest" });
      });
    }
    var title = document.querySelector(".podcast-compose input[name=title]");
    var radios = document.querySelectorAll(".podcast-compose input[name=episode]");
    if (title && radios.length) {
      var current = document.querySelector(".podcast-compose input[name=episode]:checked");
      var last = current ? current.getAttribute("data-title") : "";
      for (var i = 0; i < radios.length; i++) {
        radios[i].addEventListener("change", function (event) {
          var next = event.target.getAttribute("data-title") || "";
          if (title.value === last || title.value.trim() === "") {
            title.value = next.slice(0, 200);
          }
          last = next;
        });
      }
    }
  }

  // A member who never chose a digest time zone is offered their
  // browser's, which they still have to save.
  function suggestTimeZone() {
    var field = document.querySelector("input[data-browser-zone]");
    if (!field || !window.Intl || !Intl.DateTimeFormat) {
      return;
    }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && field.value === "UTC") {
      field.value = zone;
    }
  }

  // The phone's menu opens and closes by its button without script; with
  // it, Escape and a tap outside close it too, as a menu does.
  function setupMenu() {
    var menu = document.querySelector("details.site-menu");
    var button = menu ? menu.querySelector("summary") : null;
    if (!button) {
      return;
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    suggestTimeZone();
    var forms = document.querySelectorAll("form[data-composer]");
    for (var i = 0; i < forms.length; i++) {
      setupComposer(forms[i]);
    }
    setupPodcast();
    var refused = document.querySelectorAll("form");
    for (var j = 0; j < refused.length; j++) {
      if (refused[j].querySelector(".invalid")) {
        setupFieldErrors(refused[j]);
      }
    }
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();

// Quote a selection: selecting text in a post offers a "Quote selection"
// button that adds it to the reply as a block quote, attributed to the
// post's author (an anonymous post's label) with a link to the post.
// Without JavaScript, each post's Quote link opens the reply with the
// whole post quoted.
(function () {
  var reply = document.querySelector('.reply textarea[name="body"]');
  if (!reply) return;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'quote-selection small';
  button.textContent = 'Quote selection';
  button.hidden = true;
  document.body.appendChild(button);
  var pending = null;

  function postOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var body = el && el.closest('.post-body');
    return body && body.closest('article.post');
  }

  function check() {
    var sel = window.getSelection();
    pending = null;
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) { button.hidden = true; return; }
    var post = postOf(sel.anchorNode);
    var link = post && post.querySelector('a.quote-link');
    var text = sel.toString().trim();
    if (!post || post !== postOf(sel.focusNode) || !link || !text) { button.hidden = true; return; }
    var id = new URL(link.href, location.href).searchParams.get('quote');
    var author = post.querySelector('.author-name');
    pending = {
      text: text,
      id: id,
      number: post.id.replace('post-', ''),
      author: author ? author.textContent.trim() : ''
    };
    var rect = sel.getRangeAt(0).getBoundingClientRect();
    button.style.position = 'absolute';
    button.style.top = (window.scrollY + rect.bottom + 6) + 'px';
    button.style.left = (window.scrollX + rect.left) + 'px';
    button.hidden = false;
  }

  document.addEventListener('mouseup', function () { setTimeout(check, 0); });
  document.addEventListener('keyup', function (e) { if (e.key && e.key.indexOf('Arrow') === 0 || e.key === 'Shift') check(); });
  button.addEventListener('mousedown', function (e) { e.preventDefault(); });
  button.addEventListener('click', function () {
    if (!pending) return;
    var name = pending.author.replace(/\[/g, '(').replace(/\]/g, ')');
    var quote = pending.text.split(/\r?\n/).map(function (l) { return ('> ' + l).replace(/\s+$/, ''); }).join('\n') +
      '\n>\n> — [' + name + ', post #' + pending.number + '](/p/' + pending.id + ')\n\n';
    var at = reply.selectionStart || reply.value.length;
    var before = reply.value.slice(0, at);
    if (before && !/\n\n$/.test(before)) before += before.slice(-1) === '\n' ? '\n' : '\n\n';
    reply.value = before + quote + reply.value.slice(at);
    button.hidden = true;
    window.getSelection().removeAllRanges();
    reply.focus();
    reply.selectionStart = reply.selectionEnd = (before + quote).length;
    reply.dispatchEvent(new Event('input', { bubbles: true }));
  });
})();
