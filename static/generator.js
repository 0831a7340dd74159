// The generator form: drag and drop onto the drop zone, a preview of the chosen photo, type and
// size checked before anything is sent, one message at a time, and the new fursona brought into
// view with its name focused. htmx does the sending; without this file the form still works.
(function () {
  "use strict";
  var form = document.getElementById("generate-form");
  var input = document.getElementById("photo");
  var zone = document.getElementById("dropzone");
  var text = document.getElementById("dropzone-text");
  var feedback = document.getElementById("generate-feedback");
  if (!form || !input || !zone || !feedback) return;
  // With this script the drop zone is the control (the input stays inside it, for keyboards).
  form.classList.add("enhanced");
  var accepted = ["image/jpeg", "image/png", "image/webp"];
  // The server's limit, rendered into the page.
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
  var original = text.innerHTML;
  var preview = null;
  var previewUrl = null;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // One message at a time: a new one replaces whatever was there, the server's included.
  function say(message) {
    feedback.textContent = "";
    if (!message) return;
    var p = document.createElement("p");
    p.className = "notice error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    feedback.appendChild(p);
  }

  function problemWith(file) {
    if (accepted.indexOf(file.type) === -1) {
      return "This file is not a photo we can read (JPEG, PNG or WebP).";
    }
    if (maxBytes && file.size > maxBytes) {
      return "This photo is larger than " + Math.round(maxBytes / 1048576) + " MB; please choose a smaller one.";
    }
    return "";
  }

  function clearPreview() {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    if (preview) preview.remove();
    preview = null;
    text.innerHTML = original;
  }

  function show(file) {
    say("");
    if (!file) {
      clearPreview();
      return;
    }
    var problem = problemWith(file);
    if (problem) {
      // Nothing to preview and nothing to send: the choice is undone.
      input.value = "";
      clearPreview();
      say(problem);
      return;
    }
    clearPreview();
    previewUrl = URL.createObjectURL(file);
    preview = document.createElement("img");
    preview.id = "preview";
    preview.className = "preview";
    preview.alt = "Preview of the chosen photo";
    preview.src = previewUrl;
    preview.addEventListener("error", function () {
      // The browser cannot show it either: say so instead of a broken picture.
      input.value = "";
      clearPreview();
      say("This file is not a photo we can read (JPEG, PNG or WebP).");
    });
    zone.insertBefore(preview, zone.firstChild);
    text.textContent = file.name + " — drop another or click to change";
  }

  input.addEventListener("change", function () {
    show(input.files && input.files[0]);
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () {
      zone.classList.remove("dragging");
    });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show(input.files[0]);
    }
  });

  // Nothing is sent without an acceptable photo; the previous message goes as a new try starts.
  form.addEventListener("htmx:beforeRequest", function (event) {
    var file = input.files && input.files[0];
    var problem = file ? problemWith(file) : "Choose a photo first.";
    if (problem) {
      event.preventDefault();
      say(problem);
      return;
    }
    say("");
  });

  // The new fursona: into view below the header, its name focused so it is read out.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "result") return;
    var heading = target.querySelector(".fursona-name");
    if (!heading) return;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ behavior: reduceMotion ? "auto" : "smooth", block: "start" });
  });
})();
