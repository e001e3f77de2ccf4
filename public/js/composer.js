// Drafts and @mentions in the composer. Without JavaScript, each composer
// has a "Save draft" button and mentions are typed by hand; with it, the
// form saves its draft a few seconds after the member stops typing and as
// they leave the page, and typing @ and a few letters offers the members
// who can read the board, as an ARIA combobox.
(function () {
  "use strict";

  var SAVE_AFTER = 2500; // ms after the last keystroke
  var SAVE_AT_MOST = 10000; // ms between saves while typing goes on

  function setupDrafts(form) {
    var place = form.getAttribute("data-draft");
    var csrf = form.querySelector("input[name=_csrf]");
    var status = form.querySelector("[data-draft-status]");
    var note = form.querySelector("[data-draft-note]");
    if (!place || !csrf || !status || !note || !window.fetch || !window.FormData) {
      return;
    }
    var timer = null;
    var firstChange = 0;
    var dirty = false;
    var sending = false;
    var done = false; // the form was sent: posting or discarding ends the draft

    // What the form holds as text; buttons and files are no part of a
    // draft.
    function fields() {
      var data = new FormData();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && name !== "_csrf" && name !== "draft_place") {
          data.append(name, value);
        }
      });
      data.set("draft_place", place);
      return data;
    }

    function show(text, problem) {
      note.textContent = text;
      status.hidden = false;
      status.classList.toggle("draft-problem", !!problem);
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (!dirty || done) {
        return;
      }
      if (sending) {
        timer = setTimeout(save, 500);
        return;
      }
      dirty = false;
      firstChange = 0;
      sending = true;
      fetch("/drafts", {
        method: "POST",
        body: new URLSearchParams(fields()),
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf.value, "Accept": "application/json" }
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (answer) {
          if (done) {
            return;
          }
          if (res.ok) {
            show(answer.note || "Draft saved", false);
          } else {
            // The text stays in the form whatever happened.
            show(answer.error || "Draft not saved right now; your text is still here.", true);
          }
        });
      }).catch(function () {
        if (!done) {
          show("Draft not saved right now; your text is still here.", true);
          dirty = true;
        }
      }).then(function () {
        sending = false;
      });
    }

    function changed() {
      if (done) {
        return;
      }
      dirty = true;
      var now = Date.now();
      if (!firstChange) {
        firstChange = now;
      }
      clearTimeout(timer);
      // Saved once typing pauses, and at least every SAVE_AT_MOST while it
      // goes on.
      var wait = Math.max(0, Math.min(SAVE_AFTER, firstChange + SAVE_AT_MOST - now));
      timer = setTimeout(save, wait);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      // Posting deletes the draft, and Save draft and Discard do their
      // own work: nothing more is saved from this page.
      done = true;
      clearTimeout(timer);
    });
    // Leaving the page saves what is not saved yet.
    function leave() {
      if (!dirty || done || !navigator.sendBeacon) {
        return;
      }
      var data = fields();
      data.set("_csrf", csrf.value);
      if (navigator.sendBeacon("/drafts", data)) {
        dirty = false;
      }
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        leave();
      }
    });
    window.addEventListener("pagehide", leave);
  }

  // The @ autocomplete: the textarea is the combobox, the suggestions a
  // listbox below it.
  var mentionCount = 0;

  function setupMentions(form) {
    var source = form.getAttribute("data-mentions");
    var body = form.querySelector("textarea[name=body]");
    if (!source || !body || !window.fetch) {
      return;
    }
    mentionCount++;
    var listID = "mention-list-" + mentionCount;
    var list = document.createElement("ul");
    list.id = listID;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    body.parentNode.insertBefore(list, body.nextSibling);
    var hint = document.createElement("p");
    hint.className = "visually-hidden";
    hint.id = listID + "-hint";
    hint.textContent = "Type @ and a name to mention a member: arrow keys choose, Enter or Tab picks, Escape closes.";
    body.parentNode.insertBefore(hint, list);
    body.setAttribute("role", "combobox");
    body.setAttribute("aria-autocomplete", "list");
    body.setAttribute("aria-controls", listID);
    body.setAttribute("aria-expanded", "false");
    var described = body.getAttribute("aria-describedby");
    body.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);

    var items = [];
    var active = -1;
    var start = -1; // where the @ is
    var pending = null;
    var timer = null;
    var closedAt = -1; // an @ the member closed with Escape

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      body.setAttribute("aria-expanded", "false");
      body.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      if (active >= 0 && items[active]) {
        items[active].el.setAttribute("aria-selected", "false");
      }
      active = i;
      if (active >= 0 && items[active]) {
        items[active].el.setAttribute("aria-selected", "true");
        body.setAttribute("aria-activedescendant", items[active].el.id);
        items[active].el.scrollIntoView({ block: "nearest" });
      } else {
        body.removeAttribute("aria-activedescendant");
      }
    }

    function pick(i) {
      var m = items[i];
      if (!m || start < 0) {
        return;
      }
      var before = body.value.slice(0, start);
      var after = body.value.slice(body.selectionStart);
      // "@username ", its space kept from the text when one follows.
      var text = "@" + m.username + (/^\s/.test(after) ? "" : " ");
      body.value = before + text + after;
      var at = before.length + m.username.length + 2;
      body.setSelectionRange(at, at);
      close();
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(found) {
      list.textContent = "";
      items = [];
      active = -1;
      if (!found.length) {
        close();
        return;
      }
      found.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = listID + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "mention-name";
        name.textContent = m.name;
        var who = document.createElement("span");
        who.className = "mention-username muted";
        who.textContent = " @" + m.username + (m.specialty ? " · " + m.specialty : "");
        li.appendChild(name);
        li.appendChild(who);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text
          pick(i);
        });
        list.appendChild(li);
        items.push({ el: li, username: m.username });
      });
      list.hidden = false;
      body.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    // The @name being typed just before the caret, if any.
    function typed() {
      var at = body.selectionStart;
      if (at !== body.selectionEnd) {
        return null;
      }
      var m = /(^|[^\w@.])@([A-Za-z0-9_]{1,40})$/.exec(body.value.slice(Math.max(0, at - 42), at));
      if (!m) {
        return null;
      }
      return { start: at - m[2].length - 1, prefix: m[2] };
    }

    function lookup() {
      var t = typed();
      if (!t || t.start === closedAt) {
        close();
        return;
      }
      start = t.start;
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(source + "?q=" + encodeURIComponent(t.prefix), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: pending.signal
      }).then(function (res) {
        return res.ok ? res.json() : [];
      }).then(function (found) {
        var now = typed();
        if (now && now.start === start) {
          show(found.slice(0, 8));
        }
      }).catch(function () {});
    }

    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    body.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          highlight((active + 1) % items.length);
          break;
        case "ArrowUp":
          event.preventDefault();
          highlight((active - 1 + items.length) % items.length);
          break;
        case "Enter":
        case "Tab":
          if (active >= 0) {
            event.preventDefault();
            pick(active);
          }
          break;
        case "Escape":
          event.preventDefault();
          event.stopPropagation();
          closedAt = start;
          close();
          break;
      }
    });
    body.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
    body.addEventListener("click", function () {
      if (!list.hidden && !typed()) {
        close();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-draft], form[data-mentions]");
    for (var i = 0; i < forms.length; i++) {
      setupDrafts(forms[i]);
      setupMentions(forms[i]);
    }
  });
})();
