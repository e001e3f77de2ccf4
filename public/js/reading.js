// Reading positions: on a topic page, each post that comes into view is
// reported, a few at a time, so the member's Unread list and "New since
// your last visit" know how far they read. Without this script, showing a
// page counts as reading it to its last post; the cookie set here tells
// the server the script reports instead, so a page merely opened and left
// is not counted as read to its end.
(function () {
  "use strict";

  if (!window.IntersectionObserver || !window.fetch || !window.URLSearchParams) {
    return;
  }
  // Set on every page, so the first topic the member opens is already
  // reported post by post.
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "rounds_reader=1; path=/; max-age=31536000; SameSite=Lax" + secure;
  var box = document.getElementById("reading-position");
  if (!box) {
    return;
  }

  var url = box.getAttribute("data-url");
  var token = box.getAttribute("data-csrf");
  var highest = 0;
  var sent = 0;
  var timer = null;

  function body(n) {
    var form = new URLSearchParams();
    form.set("number", String(n));
    form.set("_csrf", token);
    return form;
  }

  // send reports the highest post seen, once; leaving uses a beacon,
  // which the browser delivers after the page is gone.
  function send(leaving) {
    if (highest <= sent) {
      return;
    }
    var n = highest;
    sent = n;
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, body(n));
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": token },
      body: body(n),
      keepalive: true
    }).then(function (res) {
      if (!res.ok && sent === n) {
        sent = 0; // try again with the next post seen
      }
    }, function () {
      if (sent === n) {
        sent = 0;
      }
    });
  }

  // A post counts as read once half of it, or its end, is in view.
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) {
        return;
      }
      var seen = entry.intersectionRatio >= 0.5 || entry.boundingClientRect.bottom <= window.innerHeight;
      if (!seen) {
        return;
      }
      var n = parseInt(entry.target.id.slice("post-".length), 10);
      if (n > highest) {
        highest = n;
      }
      observer.unobserve(entry.target);
    });
    if (highest > sent && !timer) {
      timer = setTimeout(function () {
        timer = null;
        send(false);
      }, 1500);
    }
  }, { threshold: [0, 0.5, 1] });

  document.querySelectorAll("main article.post[id^='post-']").forEach(function (post) {
    observer.observe(post);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send(true);
    }
  });
})();
