// Forum live bars: "2 new replies — show" on a thread's last page and
// "1 new thread — show" on a category page. The page's shared socket
// (live.js) joins the thread's or category's room with `forum_watch`; a
// push says only that something arrived, and this script asks the server
// for the rendered HTML of what this member may see (the fragment at the
// bar's data-source, after data-after). Nothing moves until "show" is
// pressed; then the new items are put in place and focus goes to the first.
// Without script the page works as before: a reload shows them.
(function () {
  "use strict";
  var bar = document.querySelector("[data-forum-live]");
  var socket = window.staffroomLive;
  if (!bar || !socket || !window.fetch || !window.DOMParser) { return; }
  var kind = bar.getAttribute("data-forum-live"); // "thread" or "category"
  var key = kind + "_id";
  var watchId = parseInt(bar.getAttribute("data-watch-id"), 10);
  var after = parseInt(bar.getAttribute("data-after"), 10) || 0;
  var source = bar.getAttribute("data-source");
  var target = document.getElementById(bar.getAttribute("data-target"));
  var ngettext = window.staffroomI18n.ngettext;
  var waiting = { items: [], last: after };
  var timer = null;

  var button = document.createElement("button");
  button.type = "button";
  button.className = "button live-bar-button";
  button.hidden = true;
  bar.appendChild(button);

  function watch() {
    var data = {};
    data[key] = watchId;
    socket.emit("forum_watch", data, function (ack) {
      if (ack && ack.ok) { bar.setAttribute("data-watching", ""); } // pushes follow
    });
  }

  // Several pushes in a row (or every page at once after a resync) make one fetch.
  function schedule(spread) {
    clearTimeout(timer);
    timer = setTimeout(load, 200 + Math.random() * (spread || 300));
  }

  function isShown(item) {
    if (item.id) { return Boolean(document.getElementById(item.id)); }
    var link = item.querySelector("a[href]");
    return Boolean(link && target.querySelector('a[href="' + link.getAttribute("href") + '"]'));
  }

  function load() {
    var url = source + (source.indexOf("?") < 0 ? "?" : "&") + "after=" + after;
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var box = new DOMParser().parseFromString(html, "text/html").querySelector("[data-last]");
        if (!box) { return; }
        var items = Array.prototype.filter.call(box.children, function (item) { return !isShown(item); });
        waiting = { items: items, last: parseInt(box.getAttribute("data-last"), 10) || after };
        render();
      })
      .catch(function () { /* the next push, or a reload, brings them */ });
  }

  function render() {
    var count = waiting.items.length;
    button.hidden = count === 0;
    button.textContent = count === 0 ? "" : label(count);
  }

  function label(count) {
    return kind === "thread" ? ngettext("%(num)s new reply — show", "%(num)s new replies — show", count)
      : ngettext("%(num)s new thread — show", "%(num)s new threads — show", count);
  }

  function listOf() {
    var list = target.querySelector("ol.thread-list");
    if (!list) { // an empty category: its "Nothing here yet" gives way to a list
      list = document.createElement("ol");
      list.className = "thread-list";
      var empty = target.querySelector(".empty");
      if (empty) { empty.remove(); }
      target.insertBefore(list, target.firstChild);
    }
    return list;
  }

  function show() {
    var items = waiting.items.map(function (item) { return document.importNode(item, true); });
    if (kind === "thread") {
      items.forEach(function (item) { target.appendChild(item); });
    } else {
      var list = listOf();
      var firstUnpinned = list.querySelector("li:not(.thread-pinned)");
      items.forEach(function (item) { list.insertBefore(item, firstUnpinned); });
    }
    after = waiting.last;
    waiting = { items: [], last: after };
    render();
    if (items.length) {
      items[0].setAttribute("tabindex", "-1");
      items[0].focus();
    }
  }

  button.addEventListener("click", show);
  socket.on(kind === "thread" ? "forum_post" : "forum_thread", function (data) {
    if (data && data[key] === watchId) { schedule(); }
  });
  // A reconnect joins the room again and catches up on what was missed.
  var connectedBefore = socket.connected;
  socket.on("connect", function () {
    watch();
    if (connectedBefore) { schedule(); }
    connectedBefore = true;
  });
  socket.on("resync", function () { schedule(2000); });
  if (socket.connected) { watch(); }
})();
