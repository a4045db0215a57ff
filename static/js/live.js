// Staffroom live connection: one Socket.IO socket on /live per page, shared
// by page scripts as window.staffroomLive. Keeps the unread badges current.
(function () {
  "use strict";
  if (typeof io === "undefined" || !document.body.hasAttribute("data-signed-in")) {
    return;
  }
  var socket = io("/live", { transports: ["websocket", "polling"] });
  window.staffroomLive = socket;

  var badge = document.getElementById("unread-count");
  function setCount(count) {
    if (!badge) { return; }
    badge.textContent = String(count);
    badge.hidden = count === 0;
    badge.setAttribute("aria-label", count + " unread");
  }
  socket.on("notification", function (data) { setCount(data.unread); });
  socket.on("unread", function (data) { setCount(data.count); });

  // Private messages: the unread total, kept current from every tab.
  var pmBadge = document.getElementById("pm-unread-count");
  function setPmCount(count) {
    if (!pmBadge || typeof count !== "number") { return; }
    pmBadge.textContent = String(count);
    pmBadge.hidden = count === 0;
    pmBadge.setAttribute("aria-label", count + " unread");
  }
  socket.on("pm", function (data) { setPmCount(data.unread); });

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
      fetchJson("/api/v1/notifications?unread=true&per_page=1", function (body) { setCount(body.total); });
    }
    if (pmBadge) {
      fetchJson("/api/v1/messages/unread", function (body) { setPmCount(body.unread); });
    }
  }
  var connectedBefore = false;
  socket.on("connect", function () {
    if (connectedBefore) { refreshCounts(); }
    connectedBefore = true;
  });
  socket.on("resync", refreshCounts);
})();
