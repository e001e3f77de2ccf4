// Images in the composer, on top of forms that work without JavaScript:
// a chosen, dropped or pasted image is uploaded at once (the form's own
// "Upload image" button, so the server answers as it does without JS),
// and boxes to black out are drawn on a staged image with the mouse, a
// pen or a finger, each written into the image's box field as
// "x y width height" in the full image's pixels.
(function () {
  "use strict";

  function setupUpload(tray) {
    var form = tray.closest("form");
    var input = tray.querySelector("input[type=file]");
    var button = tray.querySelector("[data-upload-button]");
    if (!form || !input || !button) {
      return;
    }
    function send(files) {
      if (!files || files.length === 0) {
        return;
      }
      if (input.files !== files) {
        var dt = new DataTransfer();
        dt.items.add(files[0]);
        input.files = dt.files;
      }
      tray.classList.add("uploading");
      button.click();
    }
    input.addEventListener("change", function () {
      send(input.files);
    });
    form.addEventListener("dragover", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
        e.preventDefault();
        tray.classList.add("dragging");
      }
    });
    form.addEventListener("dragleave", function () {
      tray.classList.remove("dragging");
    });
    form.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length > 0) {
        e.preventDefault();
        tray.classList.remove("dragging");
        send(e.dataTransfer.files);
      }
    });
    form.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length > 0 && /^image\//.test(files[0].type)) {
        e.preventDefault();
        send(files);
      }
    });
  }

  function parseBoxes(text) {
    var out = [];
    text.split("\n").forEach(function (line) {
      var n = line.trim().split(/[\s,]+/).map(Number);
      if (n.length === 4 && n.every(function (v) { return isFinite(v) && v >= 0; })) {
        out.push(n);
      }
    });
    return out;
  }

  function setupEditor(figure) {
    var img = figure.querySelector("img");
    var field = document.getElementById(figure.getAttribute("data-boxes"));
    var width = Number(figure.getAttribute("data-width"));
    var height = Number(figure.getAttribute("data-height"));
    if (!img || !field || !width || !height) {
      return;
    }
    var layer = document.createElement("div");
    layer.className = "redaction-layer";
    layer.setAttribute("aria-hidden", "true");
    img.insertAdjacentElement("afterend", layer);
    figure.classList.add("drawable");

    // scale is full-image pixels per pixel shown.
    function scale() {
      return width / img.getBoundingClientRect().width;
    }
    function place(el, b) {
      var s = scale();
      el.style.left = b[0] / s + "px";
      el.style.top = b[1] / s + "px";
      el.style.width = b[2] / s + "px";
      el.style.height = b[3] / s + "px";
    }
    function redraw() {
      layer.textContent = "";
      parseBoxes(field.value).forEach(function (b) {
        var el = document.createElement("div");
        el.className = "redaction-box";
        place(el, b);
        layer.appendChild(el);
      });
    }
    function point(e) {
      var r = img.getBoundingClientRect();
      var s = scale();
      return [
        Math.max(0, Math.min(width, Math.round((e.clientX - r.left) * s))),
        Math.max(0, Math.min(height, Math.round((e.clientY - r.top) * s)))
      ];
    }
    var start = null;
    var drawing = null;
    function boxFrom(a, b) {
      return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])];
    }
    layer.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      layer.setPointerCapture(e.pointerId);
      start = point(e);
      drawing = document.createElement("div");
      drawing.className = "redaction-box drawing";
      layer.appendChild(drawing);
      place(drawing, [start[0], start[1], 0, 0]);
    });
    layer.addEventListener("pointermove", function (e) {
      if (start) {
        place(drawing, boxFrom(start, point(e)));
      }
    });
    layer.addEventListener("pointerup", function (e) {
      if (!start) {
        return;
      }
      var b = boxFrom(start, point(e));
      start = null;
      if (b[2] >= 2 && b[3] >= 2) {
        var text = field.value.replace(/\s+$/, "");
        field.value = (text ? text + "\n" : "") + b.join(" ") + "\n";
      }
      redraw();
    });
    layer.addEventListener("pointercancel", function () {
      start = null;
      redraw();
    });
    field.addEventListener("input", redraw);
    window.addEventListener("resize", redraw);
    if (img.complete) {
      redraw();
    } else {
      img.addEventListener("load", redraw);
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-image-tray]"), setupUpload);
    Array.prototype.forEach.call(document.querySelectorAll("[data-redaction-editor]"), setupEditor);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
