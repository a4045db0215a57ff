// A conversation page: new messages appear as they arrive (pushed to this
// member's own room as `pm`), and are marked read while the page is open.
(function () {
  "use strict";
  var list = document.getElementById("pm-messages");
  var socket = window.staffroomLive;
  if (!list || !socket) { return; }
  var conversationId = Number(list.getAttribute("data-conversation-id"));
  var me = list.getAttribute("data-me");
  var tokenInput = document.querySelector("#pm-form input[name=csrf_token]");

  function markRead() {
    fetch("/api/v1/conversations/" + conversationId + "/read", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" }
    });
  }

  function add(message) {
    if (document.getElementById("m" + message.id)) { return; }
    var item = document.createElement("li");
    item.className = "pm-message" + (message.sender.username === me ? " mine" : "");
    item.id = "m" + message.id;
    var meta = document.createElement("p");
    meta.className = "pm-meta";
    var name = document.createElement("strong");
    name.textContent = message.sender.display_name;
    meta.appendChild(name);
    if (message.created_at && window.staffroomTime) {
      var when = document.createElement("time");
      when.className = "muted";
      when.dateTime = message.created_at;
      when.textContent = window.staffroomTime.formatDateTime(message.created_at);
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(when);
    }
    var body = document.createElement("p");
    body.className = "pm-body";
    body.textContent = message.body;
    item.appendChild(meta);
    item.appendChild(body);
    list.appendChild(item);
  }

  socket.on("pm", function (data) {
    if (data.conversation_id !== conversationId || !data.message) { return; }
    add(data.message);
    if (data.message.sender.username !== me) { markRead(); }
  });
})();
