// The generator form: drag and drop onto the drop zone, a preview of the chosen photo, and a
// size check before sending. htmx does the rest; without this file the form still works.
(function () {
  "use strict";
  var input = document.getElementById("photo");
  var zone = document.getElementById("dropzone");
  var preview = document.getElementById("preview");
  var text = document.getElementById("dropzone-text");
  var error = document.getElementById("file-error");
  if (!input || !zone) return;
  var form = document.getElementById("generate-form");
  // With this script the drop zone replaces the native file button (kept for keyboards).
  form.classList.add("enhanced");
  var accepted = ["image/jpeg", "image/png", "image/webp"];
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
  var previewUrl = null;

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function show(file) {
    showError("");
    if (!file) return;
    if (accepted.indexOf(file.type) === -1) {
      showError("That file is not a JPEG, PNG or WebP photo.");
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      showError("That photo is larger than " + Math.round(maxBytes / 1048576) + " MB.");
      return;
    }
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(file);
    preview.src = previewUrl;
    preview.hidden = false;
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
  form.addEventListener("submit", function (event) {
    if (!error.hidden) event.preventDefault();
  });
  // Bring the new fursona (or the error) into view once htmx has swapped it in.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "result") {
      event.detail.target.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });
})();
