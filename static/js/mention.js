// @mention autocomplete for every composer that has data-mention (forum
// posts, the event room's chat, private messages). Typing "@ma" asks
// /api/v1/people/suggest and offers matching members under the field.
// Keyboard: Up/Down move through the list, Enter or Tab insert the
// highlighted "@username ", Escape closes it; a click or tap inserts too.
// The field keeps focus and points at the highlighted option with
// aria-activedescendant; a polite status line tells how many were found.
// Without script the field is a plain textarea: typing @username works as ever.
// Its words come from the page's catalog (static/js/i18n.js).
(function () {
  "use strict";
  var i18n = window.staffroomI18n;
  if (!window.fetch) { return; }
  var TOKEN = /(^|[^\w@])@([\w.-]{1,30})$/; // "@ma" right before the caret
  var DELAY = 150;
  var counter = 0;
  var state = null; // {field, list, status, items, active, start, timer, asked}

  function parts(field) {
    if (!field.mention) {
      counter += 1;
      var list = document.createElement("ul");
      list.id = "mention-list-" + counter;
      list.className = "mention-list";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", i18n.gettext("Members to mention"));
      list.hidden = true;
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      field.parentNode.insertBefore(list, field.nextSibling);
      field.parentNode.insertBefore(status, list.nextSibling);
      field.setAttribute("aria-autocomplete", "list");
      field.setAttribute("aria-controls", list.id);
      field.mention = { list: list, status: status };
      list.addEventListener("mousedown", function (event) {
        var option = event.target.closest("[role=option]");
        if (option) {
          event.preventDefault(); // keep focus (and the caret) in the field
          choose(field, parseInt(option.getAttribute("data-index"), 10));
        }
      });
    }
    return field.mention;
  }

  function close(field) {
    var p = field.mention;
    if (!p) { return; }
    p.list.hidden = true;
    p.list.textContent = "";
    field.removeAttribute("aria-activedescendant");
    if (state && state.field === field) { clearTimeout(state.timer); state = null; }
  }

  function tokenAt(field) {
    var before = field.value.slice(0, field.selectionStart);
    if (field.selectionStart !== field.selectionEnd) { return null; }
    var match = TOKEN.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function avatar(person) {
    var element;
    if (person.avatar_url) {
      element = document.createElement("img");
      element.src = person.avatar_url;
      element.alt = "";
      element.width = 24;
      element.height = 24;
      element.className = "avatar avatar-sm";
    } else {
      element = document.createElement("span");
      element.className = "avatar avatar-sm avatar-initials-sm";
      element.setAttribute("aria-hidden", "true");
      element.textContent = person.display_name.slice(0, 1);
    }
    return element;
  }

  function render(field, items, start) {
    var p = parts(field);
    p.list.textContent = "";
    state = { field: field, items: items, active: 0, start: start, timer: null };
    if (!items.length) {
      p.status.textContent = i18n.gettext("No members match.");
      close(field);
      return;
    }
    items.forEach(function (person, index) {
      var option = document.createElement("li");
      option.id = p.list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("data-index", String(index));
      option.appendChild(avatar(person));
      var name = document.createElement("span");
      name.className = "mention-name";
      name.textContent = person.display_name;
      var handle = document.createElement("span");
      handle.className = "muted";
      handle.textContent = "@" + person.username;
      option.appendChild(name);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(handle);
      p.list.appendChild(option);
    });
    p.list.style.top = (field.offsetTop + field.offsetHeight) + "px";
    p.list.style.insetInlineStart = inlineStart(field) + "px";
    p.list.hidden = false;
    highlight(field, 0);
    p.status.textContent = i18n.ngettext(
      "%(num)s member found: up and down arrows to choose, Enter to insert, Escape to close.",
      "%(num)s members found: up and down arrows to choose, Enter to insert, Escape to close.", items.length);
  }

  // The field's distance from its offset parent's inline-start edge: the left edge in a
  // left-to-right page, the right edge in a right-to-left one.
  function inlineStart(field) {
    if (getComputedStyle(field).direction !== "rtl") { return field.offsetLeft; }
    var parent = field.offsetParent || document.body;
    return parent.clientWidth - field.offsetLeft - field.offsetWidth;
  }

  function highlight(field, index) {
    var p = field.mention;
    var options = p.list.querySelectorAll("[role=option]");
    state.active = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, i) {
      option.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var current = options[state.active];
    field.setAttribute("aria-activedescendant", current.id);
    if (current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
  }

  function choose(field, index) {
    if (!state || state.field !== field) { return; }
    var person = state.items[index];
    var caret = field.selectionStart;
    var insert = "@" + person.username + " ";
    field.value = field.value.slice(0, state.start) + insert + field.value.slice(caret);
    var at = state.start + insert.length;
    field.setSelectionRange(at, at);
    close(field);
    field.mention.status.textContent = i18n.gettext("%(name)s inserted.", { name: "@" + person.username });
    field.dispatchEvent(new Event("input", { bubbles: true })); // autosave and counters hear of it
  }

  function lookUp(field) {
    var token = tokenAt(field);
    if (!token) { close(field); return; }
    var asked = field.value.slice(token.start, token.start + token.query.length + 1);
    window.fetch("/api/v1/people/suggest?q=" + encodeURIComponent(token.query),
                 { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        var now = tokenAt(field);
        // Only if the field still ends in the same "@name" (answers can come back out of order).
        if (!body || !now || document.activeElement !== field ||
            field.value.slice(now.start, now.start + now.query.length + 1) !== asked) { return; }
        render(field, body.items, now.start);
      })
      .catch(function () { /* no suggestions: typing works as before */ });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-mention]")) { return; }
    parts(field);
    if (!tokenAt(field)) { close(field); return; }
    if (state && state.field === field) { clearTimeout(state.timer); }
    else { state = { field: field, items: [], active: 0, start: 0, timer: null }; }
    state.timer = setTimeout(function () { lookUp(field); }, DELAY);
  });

  // Capture phase: runs before the field's own handlers (the chat sends on Enter).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!state || state.field !== field || !field.mention || field.mention.list.hidden) { return; }
    var handled = true;
    if (event.key === "ArrowDown") { highlight(field, state.active + 1); }
    else if (event.key === "ArrowUp") { highlight(field, state.active - 1); }
    else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) { choose(field, state.active); }
    else if (event.key === "Escape") { close(field); }
    else { handled = false; }
    if (handled) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("focusout", function (event) {
    var field = event.target;
    if (field.mention) { setTimeout(function () { if (document.activeElement !== field) { close(field); } }, 150); }
  });
})();
