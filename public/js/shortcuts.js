// Keyboard shortcuts on a topic and on lists of topics: j and k move to
// the next and previous post or topic, r goes to the reply box, / to the
// search box, and ? lists them. They never act while the member types in
// a field or holds Ctrl, Alt or Cmd, so no key a browser or a screen
// reader uses is taken. Everything they reach is reachable without them.
(function () {
  "use strict";

  var shortcuts = [
    ["j", "Next post or topic"],
    ["k", "Previous post or topic"],
    ["r", "Reply to the topic"],
    ["/", "Search"],
    ["?", "Show these shortcuts"]
  ];

  // items are the posts of a topic, or the topics of a list.
  function items() {
    var posts = document.querySelectorAll("main article.post");
    if (posts.length) {
      return posts;
    }
    return document.querySelectorAll("main .topic-row, main .search-topic");
  }

  // typing says whether a key goes into something the member writes in.
  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  }

  // move takes the focus to the next (step 1) or previous (step -1) item:
  // a topic's title link, or the post itself, which a screen reader then
  // reads from its author on.
  function move(step) {
    var list = items();
    if (!list.length) {
      return false;
    }
    var at = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains("is-current")) {
        at = i;
        break;
      }
    }
    if (at === -1) {
      // From wherever the page was scrolled to: the first item that
      // starts below the top of the window, or the last one above it.
      at = step > 0 ? -1 : list.length;
      for (var j = 0; j < list.length; j++) {
        if (list[j].getBoundingClientRect().top >= 0) {
          at = step > 0 ? j - 1 : j;
          break;
        }
      }
    }
    var next = Math.max(0, Math.min(list.length - 1, at + step));
    for (var k = 0; k < list.length; k++) {
      list[k].classList.remove("is-current");
    }
    var item = list[next];
    item.classList.add("is-current");
    var target = item.querySelector(".topic-title");
    if (!target) {
      target = item;
      if (!item.hasAttribute("tabindex")) {
        item.setAttribute("tabindex", "-1");
      }
    }
    target.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    return true;
  }

  function reply() {
    var box = document.querySelector("main .reply textarea[name=body]");
    if (!box) {
      return false;
    }
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "center" });
    return true;
  }

  // search focuses the header's search box, opening the phone's menu
  // that holds it.
  function search() {
    var box = document.getElementById("site-search-q");
    if (!box) {
      return false;
    }
    var menu = box.closest("details");
    if (menu && !menu.open && !box.checkVisibility()) {
      menu.open = true;
    }
    box.focus();
    return true;
  }

  var dialog = null;

  // help shows the shortcuts in a modal dialog, which Escape or its
  // button closes, giving the focus back to where it was.
  function help() {
    if (!dialog) {
      dialog = buildHelp();
      document.body.appendChild(dialog);
    }
    if (!dialog.open) {
      dialog.showModal();
    }
    return true;
  }

  function buildHelp() {
    var d = document.createElement("dialog");
    d.className = "shortcuts-help";
    d.setAttribute("aria-labelledby", "shortcuts-heading");
    var heading = document.createElement("h2");
    heading.id = "shortcuts-heading";
    heading.textContent = "Keyboard shortcuts";
    d.appendChild(heading);
    var list = document.createElement("dl");
    shortcuts.forEach(function (s) {
      var dt = document.createElement("dt");
      var key = document.createElement("kbd");
      key.textContent = s[0];
      dt.appendChild(key);
      var dd = document.createElement("dd");
      dd.textContent = s[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    d.appendChild(list);
    var note = document.createElement("p");
    note.className = "hint";
    note.textContent = "They do nothing while you type in a box. Escape closes this.";
    d.appendChild(note);
    var form = document.createElement("form");
    form.method = "dialog";
    var close = document.createElement("button");
    close.type = "submit";
    close.className = "button";
    close.textContent = "Close";
    form.appendChild(close);
    d.appendChild(form);
    return d;
  }

  var actions = {
    j: function () { return move(1); },
    k: function () { return move(-1); },
    r: reply,
    "/": search,
    "?": help
  };

  function onKey(event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typing(event.target) || (dialog && dialog.open)) {
      return;
    }
    var action = actions[event.key];
    if (action && action()) {
      // The key has done its work: it must not also be typed into the
      // box it focused, nor start the browser's quick find.
      event.preventDefault();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!items().length && !document.querySelector("main .reply textarea[name=body]")) {
      return;
    }
    document.addEventListener("keydown", onKey);
    // The footer says the shortcuts are there.
    var footer = document.querySelector(".site-footer .wrap");
    if (footer) {
      var open = document.createElement("button");
      open.type = "button";
      open.className = "link-button shortcuts-link";
      open.textContent = "Keyboard shortcuts (?)";
      open.addEventListener("click", help);
      footer.appendChild(document.createTextNode(" "));
      footer.appendChild(open);
    }
  });
})();
