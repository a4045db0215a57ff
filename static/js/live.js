// Staffroom live connection: one Socket.IO socket on /live per page, shared
// by page scripts as window.staffroomLive. Keeps the unread badges current.
(function () {
  "use strict";
  if (typeof io === "undefined" || !document.body.hasAttribute("data-signed-in")) {
    return;
  }
  var socket = io("/live", { transports: ["websocket", "polling"] });
  window.staffroomLive = socket;

  function setBadge(element, count) {
    if (!element || typeof count !== "number") { return; }
    element.textContent = String(count);
    element.hidden = count === 0;
    element.setAttribute("aria-label", window.staffroomI18n.ngettext("%(num)s unread", "%(num)s unread", count));
  }
  var badge = document.getElementById("unread-count");
  var pmBadge = document.getElementById("pm-unread-count");
  // On a phone both counts hide in the folded menu: its button shows their sum.
  var menuBadge = document.getElementById("menu-unread-count");
  function setCount(element, count) {
    setBadge(element, count);
    if (menuBadge && badge && pmBadge) {
      setBadge(menuBadge, (parseInt(badge.textContent, 10) || 0) + (parseInt(pmBadge.textContent, 10) || 0));
    }
  }
  socket.on("notification", function (data) { setCount(badge, data.unread); });
  socket.on("unread", function (data) { setCount(badge, data.count); });
  // Private messages: the unread total, kept current from every tab.
  socket.on("pm", function (data) { setCount(pmBadge, data.unread); });

  // Pushes sent while this socket was away (a reconnect) or while another
  // process could not reach us (Redis away: the server sends `resync`) are
  // not replayed: ask for both counts again.
  function fetchJson(url, then) {
    if (!window.fetch) { return; }
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) { then(body); } })
      .catch(function () { /* the next push or page load corrects it */ });
  }
  function refreshCounts() {
    if (badge) {
      fetchJson("/api/v1/notifications?unread=true&per_page=1", function (body) { setCount(badge, body.total); });
    }
    if (pmBadge) {
      fetchJson("/api/v1/messages/unread", function (body) { setCount(pmBadge, body.unread); });
    }
  }
  var connectedBefore = false;
  socket.on("connect", function () {
    if (connectedBefore) { refreshCounts(); }
    connectedBefore = true;
  });
  // Every socket of the process gets `resync` at once: spread the fetches
  // over two seconds, as room.js spreads its re-joins.
  socket.on("resync", function () { setTimeout(refreshCounts, Math.random() * 2000); });
})();
