// The forum composer (templates/forum/_composer.html): Write / Preview tabs
// and pictures in posts. Without this script the form's own "Preview" and
// "Upload image" buttons post it back and nothing is lost.
//
// Preview asks the server (POST /api/v1/posts/preview), which renders the
// text exactly as a post is rendered. A picture chosen with "Add image",
// pasted or dropped into the text box is uploaded at once (POST
// /api/v1/post-images) and its markdown goes where the cursor was, its
// description selected for the writer to type over.
(function () {
  "use strict";
  var _ = window.staffroomI18n.gettext;

  if (!window.fetch || !window.FormData) {
    return;
  }
  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  var uploads = 0; // numbers the placeholders of uploads under way

  function errorText(body, fallback) {
    var error = body && body.error;
    if (!error) {
      return fallback;
    }
    var fields = error.fields || {};
    var named = fields.image || fields.file || fields.body;
    return named || error.message || fallback;
  }

  function post(url, token, body, json) {
    var headers = { Accept: "application/json", "X-CSRFToken": token };
    if (json) {
      headers["Content-Type"] = "application/json";
    }
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: json ? JSON.stringify(body) : body
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function setUp(box) {
    var area = document.getElementById(box.getAttribute("data-composer"));
    var form = box.closest("form");
    if (!area || !form) {
      return;
    }
    var tokenInput = form.querySelector("input[name=csrf_token]");
    var token = tokenInput ? tokenInput.value : "";
    var write = box.querySelector(".composer-write");
    var previewPanel = box.querySelector(".composer-preview");
    var previewBody = box.querySelector("[data-composer-preview]");
    var status = box.querySelector("[data-composer-status]");
    var picker = box.querySelector("input[type=file][name=image]");
    var maxBytes = Number(box.getAttribute("data-max-mb") || 5) * 1024 * 1024;
    var nojs = box.querySelector("[data-composer-nojs]");
    if (nojs) {
      nojs.hidden = true;
    }
    Array.prototype.forEach.call(box.querySelectorAll("[data-composer-js]"), function (element) {
      element.hidden = false;
    });

    function say(text, kind) {
      status.textContent = text;
      status.className = "composer-status" + (kind ? " composer-" + kind : "");
    }

    // Tabs --------------------------------------------------------------------
    var id = area.id;
    var tablist = document.createElement("div");
    tablist.className = "composer-tabs";
    tablist.setAttribute("role", "tablist");
    tablist.setAttribute("aria-label", _("Write or preview your post"));
    var tabs = [makeTab(_("Write"), write, "write"), makeTab(_("Preview"), previewPanel, "preview")];
    box.insertBefore(tablist, box.firstChild);
    previewPanel.querySelector(".composer-preview-heading").hidden = true; // the tab names it
    previewPanel.setAttribute("aria-labelledby", id + "-tab-preview");
    select(tabs[0], false);

    function makeTab(label, panel, name) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = id + "-tab-" + name;
      tab.className = "composer-tab";
      tab.textContent = label;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      tab.addEventListener("click", function () {
        select(tab, true);
      });
      tab.addEventListener("keydown", function (event) {
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
          event.preventDefault();
          var other = tabs[0] === tab ? tabs[1] : tabs[0];
          select(other, true);
          other.focus();
        }
      });
      tablist.appendChild(tab);
      return tab;
    }

    function select(tab, load) {
      tabs.forEach(function (each) {
        var chosen = each === tab;
        each.setAttribute("aria-selected", chosen ? "true" : "false");
        each.tabIndex = chosen ? 0 : -1;
        document.getElementById(each.getAttribute("aria-controls")).hidden = !chosen;
      });
      if (load && tab === tabs[1]) {
        showPreview();
      }
    }

    function showPreview() {
      var text = area.value;
      if (!text.trim()) {
        previewBody.innerHTML = "";
        previewBody.textContent = _("Nothing to preview yet: write something first.");
        return;
      }
      previewBody.setAttribute("aria-busy", "true");
      previewBody.textContent = _("Loading the preview…");
      post("/api/v1/posts/preview", token, { body: text }, true).then(function (answer) {
        previewBody.removeAttribute("aria-busy");
        if (answer.ok) {
          previewBody.innerHTML = answer.data.html; // cleaned by the server, as a post is
        } else {
          previewBody.textContent = errorText(answer.data, _("The preview could not be made. Try again."));
        }
      }, function () {
        previewBody.removeAttribute("aria-busy");
        previewBody.textContent = _("The preview could not be made: check your connection and try again.");
      });
    }

    // Images ------------------------------------------------------------------
    function insertAtCursor(text) {
      var start = area.selectionStart;
      var end = area.selectionEnd;
      var before = area.value.slice(0, start);
      var after = area.value.slice(end);
      var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
      var trail = after && !/^\n\n/.test(after) ? (/^\n/.test(after) ? "\n" : "\n\n") : "";
      area.value = before + lead + text + trail + after;
      var at = before.length + lead.length;
      area.setSelectionRange(at + text.length, at + text.length);
      return { at: at, lead: lead, trail: trail };
    }

    function replacePlaceholder(placeholder, markdown) {
      var at = area.value.indexOf(placeholder);
      if (at < 0) {
        return insertAtCursor(markdown).at;
      }
      area.value = area.value.slice(0, at) + markdown + area.value.slice(at + placeholder.length);
      return at;
    }

    // A failed upload takes its placeholder away with the blank lines it brought.
    function removePlaceholder(placeholder, added) {
      var at = area.value.indexOf(placeholder);
      if (at < 0) {
        return;
      }
      var start = at;
      var end = at + placeholder.length;
      if (area.value.slice(at - added.lead.length, at) === added.lead) {
        start -= added.lead.length;
      }
      if (area.value.slice(end, end + added.trail.length) === added.trail) {
        end += added.trail.length;
      }
      area.value = area.value.slice(0, start) + area.value.slice(end);
    }

    function upload(file) {
      if (IMAGE_TYPES.indexOf(file.type) < 0) {
        say(_("%(name)s is not a PNG, JPEG, GIF or WebP picture.", { name: file.name }), "error");
        return;
      }
      if (file.size > maxBytes) {
        say(_("%(name)s is larger than %(mb)s MB.", { name: file.name, mb: box.getAttribute("data-max-mb") }), "error");
        return;
      }
      uploads += 1;
      var placeholder = "![" + _("Uploading image %(num)s…", { num: uploads }) + "]()";
      var added = insertAtCursor(placeholder);
      say(file.name ? _("Uploading %(name)s…", { name: file.name }) : _("Uploading the image…"));
      var data = new FormData();
      data.append("file", file, file.name || "image.png");
      post("/api/v1/post-images", token, data, false).then(function (answer) {
        if (!answer.ok) {
          removePlaceholder(placeholder, added);
          say(errorText(answer.data, _("The image could not be uploaded.")), "error");
          return;
        }
        var markdown = answer.data.markdown;
        var at = replacePlaceholder(placeholder, markdown);
        area.focus();
        area.setSelectionRange(at + 2, at + markdown.indexOf("]")); // the description, to type over
        say(_("Image added. Type what it shows: the selected words describe it for people who cannot see it."), "ok");
      }, function () {
        removePlaceholder(placeholder, added);
        say(_("The image could not be uploaded: check your connection and try again."), "error");
      });
    }

    function images(list) {
      return Array.prototype.filter.call(list || [], function (file) {
        return file && /^image\//.test(file.type);
      });
    }

    if (picker) {
      picker.addEventListener("change", function () {
        Array.prototype.forEach.call(picker.files, upload);
        picker.value = "";
      });
    }
    area.addEventListener("paste", function (event) {
      var files = images(event.clipboardData && event.clipboardData.files);
      if (files.length) {
        event.preventDefault();
        files.forEach(upload);
      }
    });
    area.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
      }
    });
    area.addEventListener("drop", function (event) {
      var files = images(event.dataTransfer && event.dataTransfer.files);
      if (files.length) {
        event.preventDefault();
        files.forEach(upload);
      }
    });
    // Posting: the picker is empty by now, so the page's own upload path stays idle.
    form.addEventListener("submit", function () {
      select(tabs[0], false);
    });
  }

  // The tabs are named as the page's catalog says, so they are made once it has loaded.
  window.staffroomI18n.ready.then(function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-composer]"), setUp);
  });
})();
