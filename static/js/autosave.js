// Autosave for forms marked data-autosave="<milliseconds>" (the application
// draft). Posts the form with fetch every few seconds while something
// changed, and when a field loses focus; the page's Save button still works
// without JavaScript.
//
// Every answer travels with the version and digest of the text it started
// from (hidden inputs). The server saves what changed here, leaves alone
// what did not, and reports as conflicts the answers changed both here and
// in another tab: those keep this tab's text in the box, show the other
// version under it, and win on the next save. An answer changed elsewhere
// and untouched here is refreshed with the other tab's text. Its words come
// from the page's catalog (static/js/i18n.js); the server's messages arrive
// already in the page's language.
(function () {
  "use strict";
  var _ = window.staffroomI18n.gettext;

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var every = Number(form.getAttribute("data-autosave")) || 5000;
  // Not form.action: the form's buttons are named "action" and would shadow it.
  var target = form.getAttribute("action");
  var areas = Array.prototype.slice.call(form.querySelectorAll("textarea[name^='answer-']"));
  var base = {}; // question id -> the text as last synchronised with the server
  var dirty = false;
  var saving = false;
  var submitting = false; // the page is posting the whole form: no more autosaves

  function qid(area) {
    return area.name.slice("answer-".length);
  }

  function normalize(text) {
    return text.replace(/\r\n?/g, "\n");
  }

  function say(text, kind) {
    if (status) {
      status.textContent = text;
      status.className = "autosave-status" + (kind ? " autosave-" + kind : "");
    }
  }

  function setHidden(name, value) {
    var input = form.elements[name];
    if (input) {
      input.value = value;
    }
  }

  function showOther(id, text) {
    var area = form.elements["answer-" + id];
    var box = document.getElementById("answer-" + id + "-other");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflict";
      box.id = "answer-" + id + "-other";
      var intro = document.createElement("p");
      intro.textContent = _("Saved from another tab or window (not overwritten):");
      box.appendChild(intro);
      box.appendChild(document.createElement("pre"));
      box.lastChild.className = "other-version";
      area.parentNode.appendChild(box);
      area.setAttribute("aria-describedby", (area.getAttribute("aria-describedby") || "") + " " + box.id);
    }
    box.lastChild.textContent = text;
  }

  areas.forEach(function (area) {
    // The server's text is the default value; anything else was typed
    // before this script arrived and still needs saving.
    base[qid(area)] = normalize(area.defaultValue);
    if (area.value !== area.defaultValue) {
      dirty = true;
    }
    area.addEventListener("input", function () {
      dirty = true;
      say(_("Unsaved changes…"));
    });
    area.addEventListener("blur", function () {
      save();
    });
  });

  function apply(body, sent) {
    var conflicts = {};
    (body.conflicts || []).forEach(function (item) {
      conflicts[String(item.question_id)] = item.text;
    });
    Object.keys(body.versions || {}).forEach(function (id) {
      var area = form.elements["answer-" + id];
      setHidden("version-" + id, body.versions[id]);
      setHidden("digest-" + id, body.digests[id]);
      var stored = body.texts[id];
      if (id in conflicts) {
        showOther(id, stored);
        base[id] = stored; // the box keeps this tab's text, which wins on the next save
        return;
      }
      if (!area) {
        return;
      }
      var untouched = normalize(area.value) === base[id] && sent[id] === area.value;
      if (untouched && stored !== base[id]) {
        area.value = stored; // changed in another tab, not here: take it
      }
      base[id] = untouched ? stored : normalize(sent[id]);
    });
  }

  function save() {
    if (saving || !dirty || submitting) {
      return;
    }
    saving = true;
    dirty = false;
    var sent = {};
    areas.forEach(function (area) {
      sent[qid(area)] = area.value;
    });
    var data = new FormData(form);
    data.set("action", "save");
    say(_("Saving…"));
    fetch(target, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () {
        return null;
      }).then(function (body) {
        if (!body) {
          dirty = true;
          say(response.redirected
            ? _("You seem to be signed out. Your text is still here: sign in in another tab, then press Save draft.")
            : _("Could not save just now; trying again shortly. Your text is still here."), "error");
          return;
        }
        if (body.versions) {
          apply(body, sent);
        } // else refused (deadline passed, form expired): the message says why; the text stays
        say(body.message, body.ok ? "ok" : "error");
      });
    }).catch(function () {
      dirty = true;
      say(_("You seem to be offline. Your text is still here; it saves when the connection is back."), "error");
    }).then(function () {
      saving = false;
    });
  }

  window.setInterval(save, every);
  save(); // text typed before the script arrived goes now, not in a few seconds
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty || saving)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    if (saving) {
      // An autosave (e.g. from leaving the field to click Submit) is on its
      // way. Its reply carries the versions this post must start from;
      // posting now would look like a change made in another tab.
      event.preventDefault();
      var submitter = event.submitter;
      var wait = window.setInterval(function () {
        if (!saving) {
          window.clearInterval(wait);
          submitting = true;
          form.requestSubmit(submitter || undefined);
        }
      }, 50);
      return;
    }
    submitting = true;
    dirty = false; // the normal Save or Submit takes over
  });
})();
