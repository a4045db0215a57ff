// "Similar questions" on the new-thread form: as the title is typed (after a
// pause), ask GET /api/v1/threads/similar and list what the search index
// finds, with a mark on answered questions. Links are ordinary links. When
// the index is away, or nothing is like the title, the list stays hidden and
// the form works as before (as it does without script).
(function () {
  "use strict";
  var i18n = window.staffroomI18n;
  var box = document.getElementById("similar-questions");
  if (!box || !window.fetch) { return; }
  var title = document.getElementById(box.getAttribute("data-similar-for"));
  var list = box.querySelector(".similar-list");
  var status = document.getElementById("similar-status");
  var source = box.getAttribute("data-source");
  var MIN_CHARS = 8; // the form's own minimum for a title
  var DELAY = 400;
  var timer = null;
  var asked = "";

  function item(thread) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = thread.html_url;
    link.textContent = thread.title;
    li.appendChild(link);
    if (thread.answered) {
      var badge = document.createElement("span");
      badge.className = "badge badge-answered";
      badge.textContent = "✓ " + i18n.gettext("Answered");
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    }
    var where = document.createElement("span");
    where.className = "muted";
    where.textContent = " " + i18n.gettext("in %(category)s", { category: thread.category.name });
    li.appendChild(where);
    return li;
  }

  function show(items) {
    list.textContent = "";
    items.forEach(function (thread) { list.appendChild(item(thread)); });
    box.hidden = items.length === 0;
    status.textContent = items.length ? i18n.ngettext("%(num)s similar question below the title.",
      "%(num)s similar questions below the title.", items.length) : "";
  }

  function ask() {
    var text = title.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (text.length < MIN_CHARS) { show([]); return; }
    window.fetch(source + "?title=" + encodeURIComponent(text.slice(0, 200)),
                 { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && asked === text) { show(body.items); } })
      .catch(function () { /* no list: the form still works */ });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY);
  });
  if (title.value) { ask(); } // a form shown again after an error
})();
