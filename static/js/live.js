// Staffroom live connection: one Socket.IO socket on /live per page, shared
// by page scripts as window.staffroomLive. Keeps the unread badge current.
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
  socket.on("pm", function (data) {
    if (!pmBadge || typeof data.unread !== "number") { return; }
    pmBadge.textContent = String(data.unread);
    pmBadge.hidden = data.unread === 0;
    pmBadge.setAttribute("aria-label", data.unread + " unread");
  });
})();
