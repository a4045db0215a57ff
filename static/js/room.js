// Staffroom live room: turns the server-rendered transcript on /events/<id>/room
// into a live chat over the page's shared socket (window.staffroomLive, from
// live.js). Protocol in docs/ARCHITECTURE.md, 'Live rooms': join {event_id, since_id} -> ack with what
// was missed; send {event_id, body, client_id} -> ack; broadcasts message,
// deleted, presence, pinned, muted, slow_mode, room_open, qa, typing; and
// resync {lost_seconds} when the server asks us to catch up (app/live/queue.py).
// Broadcasts carry data, never sentences: every word shown here comes from the
// page's catalog (static/js/i18n.js); error acks come translated for this member.
(function () {
  "use strict";
  var _ = window.staffroomI18n.gettext, ngettext = window.staffroomI18n.ngettext;
  var root = document.getElementById("room");
  var socket = window.staffroomLive;
  if (!root || !socket) { return; }

  function $(id) { return document.getElementById(id); }
  var eventId = parseInt(root.getAttribute("data-event-id"), 10);
  var meId = parseInt(root.getAttribute("data-me"), 10);
  var isHost = root.getAttribute("data-host") === "1";
  var lastId = parseInt(root.getAttribute("data-last-id") || "0", 10) || 0;
  var list = $("messages"), scroller = $("chat-scroll"), marker = $("new-messages");
  var connection = $("connection"), announcer = $("announcer"), typingLine = $("typing");
  var form = $("send-form"), input = $("chat-input"), sendError = $("send-error");
  var qaForm = $("qa-form"), qaInput = $("qa-input"), qaList = $("qa-list"), qaError = $("qa-error");
  var seen = {}, questions = {}, typers = {}, muted = false, phase = root.getAttribute("data-phase");
  // The TweetMeet question shown as current: the highest posted, as on the server.
  var currentNumber = $("current-question") ? parseInt($("current-question").getAttribute("data-number"), 10) || 0 : 0;
  var rejoinTimer = null, lastTyping = 0;
  // When the transcript held every message up to which id: the page itself,
  // then each arrival. `resync` asks from the last mark before a gap.
  var marks = [{ at: Date.now(), id: lastId }];

  // --- small helpers -------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function clientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2);
  }
  function setState(state, text) {
    connection.setAttribute("data-state", state);
    connection.textContent = text;
  }
  function announce(text) {
    var line = el("p", null, text);
    announcer.appendChild(line);
    while (announcer.childNodes.length > 5) { announcer.removeChild(announcer.firstChild); }
  }
  function timeText(iso) {
    return window.staffroomTime.format(iso);  // as the server writes it (time.js)
  }
  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  }
  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
    marker.hidden = true;
  }

  // --- messages --------------------------------------------------------------
  function hostButton(label, described, action) {
    var button = el("button", "link-button chat-action", label);
    button.type = "button";
    button.setAttribute("data-action", action);
    button.setAttribute("aria-label", described);
    return button;
  }
  function addTools(item) {
    var authorId = parseInt(item.getAttribute("data-user-id"), 10);
    if (!isHost && authorId !== meId) { return; }
    var tools = el("span", "chat-tools");
    var id = { id: item.getAttribute("data-id") };
    tools.appendChild(hostButton(_("Delete"), _("Delete message %(id)s", id), "delete"));
    if (isHost) {
      tools.appendChild(hostButton(_("Pin"), _("Pin message %(id)s", id), "pin"));
      if (authorId !== meId) { tools.appendChild(hostButton(_("Mute"), _("Mute message %(id)s", id), "mute")); }
    }
    item.querySelector(".chat-meta").appendChild(tools);
  }
  function render(m) {
    var item = el("li", "chat-message chat-" + m.kind);
    item.id = "m" + m.id;
    item.setAttribute("data-id", m.id);
    item.setAttribute("data-user-id", m.user.id);
    var meta = el("p", "chat-meta");
    var author = el("a", "chat-author", m.user.display_name);
    author.href = "/u/" + encodeURIComponent(m.user.username);
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", null, timeText(m.created_at));
    time.setAttribute("datetime", m.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    var body = el("div", "chat-body");
    body.innerHTML = m.body;  // escaped and linked by the server when it was sent
    item.appendChild(body);
    addTools(item);
    return item;
  }
  function addMessage(m, live) {
    if (m.event_id !== eventId || seen[m.id]) { return; }
    seen[m.id] = true;
    if (m.id > lastId) {
      lastId = m.id;
      marks.push({ at: Date.now(), id: lastId });
      if (marks.length > 2000) { marks.splice(1, 1000); }  // marks[0], the page, stays
    }
    var empty = $("chat-empty");
    if (empty) { empty.remove(); }
    var stick = nearBottom();
    // In id order: messages caught up after a resync can be older than some shown.
    var next = null, node = list.lastElementChild;
    while (node && parseInt(node.getAttribute("data-id"), 10) > m.id) { next = node; node = node.previousElementSibling; }
    list.insertBefore(render(m), next);
    if (m.kind === "question") {
      showQuestion(m.number, questionText(m), live);
      if (isHost) { refreshNext(); }
    }
    if (stick || m.user.id === meId) { scrollToEnd(); } else if (live) { marker.hidden = false; }
    if (live && m.user.id !== meId) { announce(m.user.display_name + ": " + m.text); }
  }
  function removeMessage(id) {
    var item = $("m" + id);
    if (item) { item.remove(); }
  }
  // A host changed a posted question: its line, and the current question if it is that one.
  function editMessage(m) {
    var item = $("m" + m.id);
    if (item) { item.querySelector(".chat-body").innerHTML = m.body; }
    if (m.kind === "question" && m.number === currentNumber) { showQuestion(m.number, questionText(m), false); }
    if (isHost) { refreshNext(); }
  }
  function questionText(m) { return m.text.replace(/^Q\d+\s*/, ""); }

  // --- room state ------------------------------------------------------------
  function showQuestion(number, text, isNew) {
    var box = $("current-question");
    if (!box || number < currentNumber) { return; }  // a late arrival from a catch-up is not current
    box.hidden = false;
    currentNumber = number;
    var body = $("current-question-body");
    body.textContent = "";
    body.appendChild(el("strong", null, _("Q%(number)s", { number: number })));
    body.appendChild(document.createTextNode(" " + text));
    Array.prototype.forEach.call(box.querySelectorAll("[data-answer]"), function (span) { span.textContent = "A" + number; });
    if (isNew !== false) { announce(_("New question Q%(number)s: %(text)s", { number: number, text: text })); }
  }
  // Hosts: what "Post now" would post next (the hosts-only list of questions).
  function showNext(next) {
    var line = $("next-question"), nextForm = $("next-question-form");
    if (!line || !nextForm) { return; }
    line.textContent = "";
    if (next) {
      line.appendChild(document.createTextNode(_("Next:") + " "));
      line.appendChild(el("strong", null, _("Q%(number)s", { number: next.number })));
      line.appendChild(document.createTextNode(" " + next.body));
      $("next-question-button").textContent = _("Post Q%(number)s now", { number: next.number });
    } else {
      line.textContent = _("Every question is posted.");
    }
    nextForm.hidden = !next;
  }
  function refreshNext() {
    if (!$("next-question") || !window.fetch) { return; }
    window.fetch("/api/v1/events/" + eventId + "/questions", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        var waiting = body.items.filter(function (q) { return !q.posted_at; });
        waiting.sort(function (a, b) { return a.offset_min - b.offset_min || a.number - b.number; });
        showNext(waiting[0] || null);
      })
      .catch(function () { /* the next join brings it */ });
  }
  function showPinned(message) {
    var box = $("pinned");
    box.hidden = !message;
    var body = $("pinned-body");
    body.textContent = "";
    if (message) {
      body.appendChild(el("strong", null, message.user.display_name + ": "));
      var text = el("span");
      text.innerHTML = message.body;
      body.appendChild(text);
    }
  }
  function updateForm() {
    var canSend = phase === "open" && !muted;
    form.hidden = !canSend;
    if (qaForm) { qaForm.hidden = !canSend; }
    if (muted) { sendError.textContent = _("A host has muted you in this room."); }
  }
  function showParticipants(people, count) {
    var box = $("participants");
    count = count || people.length;
    box.textContent = "";
    people.forEach(function (person) {
      var item = el("li", null, person.display_name);
      box.appendChild(item);
    });
    if (count > people.length) { box.appendChild(el("li", "muted", ngettext("and %(num)s more", "and %(num)s more", count - people.length))); }
    $("participant-count").textContent = String(count);
  }
  function scheduleRejoin(iso) {
    if (rejoinTimer) { clearTimeout(rejoinTimer); rejoinTimer = null; }
    if (!iso) { return; }
    var wait = new Date(iso).getTime() - Date.now() + 1500;
    // The server posts a due question when someone joins: re-join at its time.
    rejoinTimer = setTimeout(join, Math.max(wait, 1000));
  }
  function applyRoom(room) {
    phase = room.phase;
    muted = room.muted;
    showPinned(room.pinned);
    if (room.current_question) { showQuestion(room.current_question.number, room.current_question.body, false); }
    if (isHost) { showNext(room.next_question); }
    var slow = $("slow-mode");
    if (slow) { slow.value = String(room.slow_mode_seconds); }
    if (isHost && $("host-tools")) { $("host-tools").hidden = false; }
    var notice = $("room-phase");
    if (notice && phase === "open") { notice.hidden = true; }
    scheduleRejoin(room.next_question_at);
    updateForm();
  }

  // --- the Q&A panel -----------------------------------------------------------
  function renderQuestions() {
    if (!qaList) { return; }
    var items = Object.keys(questions).map(function (id) { return questions[id]; });
    items.sort(function (a, b) {
      if (a.answered !== b.answered) { return a.answered ? 1 : -1; }
      return b.votes - a.votes || a.id - b.id;
    });
    qaList.textContent = "";
    items.forEach(function (q) {
      var item = el("li", q.answered ? "qa-answered" : "");
      item.setAttribute("data-id", q.id);
      // The button's name says the count in words; the figure sits beside
      // it, not inside, as a language may say one or two votes without a
      // figure (Arabic), and a button's name must hold what it shows.
      var tally = el("span", "qa-tally");
      var vote = el("button", "qa-vote", "▲");
      vote.type = "button";
      vote.setAttribute("aria-pressed", q.voted ? "true" : "false");
      vote.setAttribute("aria-label", ngettext("Upvote: %(num)s vote", "Upvote: %(num)s votes", q.votes));
      vote.setAttribute("data-qa", "upvote");
      tally.appendChild(vote);
      tally.appendChild(el("span", "qa-count", String(q.votes))).setAttribute("aria-hidden", "true");
      item.appendChild(tally);
      var body = el("span", "qa-body");
      body.innerHTML = " " + q.body;
      item.appendChild(body);
      // Its own line under the question (the grid's second column), so no separator leads it.
      item.appendChild(el("span", "muted", q.user.display_name + (q.answered ? " · " + _("answered") : "")));
      if (isHost) {
        var done = el("button", "link-button", q.answered ? _("Reopen") : _("Mark answered"));
        done.type = "button";
        done.setAttribute("data-qa", "answered");
        item.appendChild(done);
      }
      qaList.appendChild(item);
    });
  }
  function storeQuestion(q, keepVote) {
    var old = questions[q.id];
    if (keepVote && old) { q.voted = old.voted; }
    questions[q.id] = q;
    renderQuestions();
  }

  // --- talking to the server ------------------------------------------------------
  function join(quiet, sinceId) {
    var payload = { event_id: eventId };
    // A resync gives its own since_id (0 too: everything after page load).
    if (typeof sinceId === "number") { payload.since_id = sinceId; } else if (lastId) { payload.since_id = lastId; }
    if (quiet !== true) { setState("connecting", _("Connecting…")); }
    socket.timeout(10000).emit("join", payload, function (err, ack) {
      if (err) {
        setState("offline", _("No answer from the server; retrying…"));
        setTimeout(function () { join(false, sinceId); }, 3000);
        return;
      }
      if (!ack.ok) { setState("error", ack.error.message); return; }
      (ack.deleted || []).forEach(removeMessage);
      ack.messages.forEach(function (m) { addMessage(m, false); });
      showParticipants(ack.participants, ack.participant_count);
      applyRoom(ack.room);
      if (ack.questions) {
        questions = {};
        ack.questions.forEach(function (q) { questions[q.id] = q; });
        renderQuestions();
      }
      setState("live", phase === "open" ? _("Live") : _("Live (read-only)"));
    });
  }

  function send(payload, attempt) {
    socket.timeout(8000).emit("send", payload, function (err, ack) {
      if (err) {
        // Same client_id: the server never saves a retried message twice.
        if (attempt < 4) { setTimeout(function () { send(payload, attempt + 1); }, 1500); return; }
        sendError.textContent = _("Not sent: the connection is down. Try again.");
        return;
      }
      if (!ack.ok) { sendError.textContent = ack.error.message; return; }
      addMessage(ack.message, false);
    });
  }

  form.addEventListener("submit", function (submitEvent) {
    submitEvent.preventDefault();
    var body = input.value.trim();
    sendError.textContent = "";
    if (!body) { sendError.textContent = _("Write a message first."); return; }
    send({ event_id: eventId, body: body, client_id: clientId() }, 0);
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", function (keyEvent) {
    if (keyEvent.key === "Enter" && !keyEvent.shiftKey && !keyEvent.isComposing) {
      keyEvent.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTyping > 3000 && input.value) {
      lastTyping = now;
      socket.emit("typing", { event_id: eventId });
    }
  });

  list.addEventListener("click", function (clickEvent) {
    var button = clickEvent.target.closest("button[data-action]");
    if (!button) { return; }
    var item = button.closest("li");
    var id = parseInt(item.getAttribute("data-id"), 10);
    var action = button.getAttribute("data-action");
    var done = function (ack) { if (ack && !ack.ok) { sendError.textContent = ack.error.message; } };
    if (action === "delete") { socket.emit("delete", { event_id: eventId, message_id: id }, done); }
    if (action === "pin") { socket.emit("pin", { event_id: eventId, message_id: id }, done); }
    if (action === "mute") {
      socket.emit("mute", { event_id: eventId, user_id: parseInt(item.getAttribute("data-user-id"), 10), muted: true }, done);
    }
  });
  var nextForm = $("next-question-form");
  if (nextForm) {
    nextForm.addEventListener("submit", function (submitEvent) {
      if (!socket.connected) { return; }  // the form posts the page way
      submitEvent.preventDefault();
      $("next-question-error").textContent = "";
      socket.emit("post_question", { event_id: eventId }, function (ack) {
        if (!ack.ok) { $("next-question-error").textContent = ack.error.message; return; }
        addMessage(ack.message, false);
      });
    });
  }
  marker.addEventListener("click", scrollToEnd);
  scroller.addEventListener("scroll", function () { if (nearBottom()) { marker.hidden = true; } });

  var slowMode = $("slow-mode");
  if (slowMode) {
    slowMode.addEventListener("change", function () {
      socket.emit("slow_mode", { event_id: eventId, seconds: parseInt(slowMode.value, 10) });
    });
  }
  if (qaForm) {
    qaForm.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      qaError.textContent = "";
      socket.emit("ask", { event_id: eventId, body: qaInput.value }, function (ack) {
        if (!ack.ok) { qaError.textContent = ack.error.message; return; }
        qaInput.value = "";
      });
    });
    qaList.addEventListener("click", function (clickEvent) {
      var button = clickEvent.target.closest("button[data-qa]");
      if (!button) { return; }
      var id = parseInt(button.closest("li").getAttribute("data-id"), 10);
      var q = questions[id];
      if (button.getAttribute("data-qa") === "upvote") {
        socket.emit("upvote", { event_id: eventId, question_id: id, up: !q.voted }, function (ack) {
          if (ack.ok) { storeQuestion(ack.question, false); } else { qaError.textContent = ack.error.message; }
        });
      } else {
        socket.emit("answered", { event_id: eventId, question_id: id, answered: !q.answered });
      }
    });
  }

  socket.on("message", function (m) { addMessage(m, true); });
  socket.on("deleted", function (data) { if (data.event_id === eventId) { removeMessage(data.id); } });
  socket.on("edited", function (m) { if (m.event_id === eventId) { editMessage(m); } });
  socket.on("presence", function (data) { if (data.event_id === eventId) { showParticipants(data.participants, data.count); } });
  socket.on("pinned", function (data) { if (data.event_id === eventId) { showPinned(data.message); } });
  socket.on("slow_mode", function (data) {
    if (data.event_id !== eventId) { return; }
    if (slowMode) { slowMode.value = String(data.seconds); }
    announce(data.seconds ? ngettext("Slow mode: one message every %(num)s seconds.", "Slow mode: one message every %(num)s seconds.", data.seconds) : _("Slow mode is off."));
  });
  socket.on("muted", function (data) {
    if (data.event_id !== eventId || data.user.id !== meId) { return; }
    muted = data.muted;
    if (!muted) { sendError.textContent = ""; }
    updateForm();
  });
  socket.on("room_open", function (data) { if (data.event_id === eventId) { join(); } });
  socket.on("qa", function (data) { if (data.event_id === eventId) { storeQuestion(data.question, true); } });
  socket.on("typing", function (data) {
    if (data.event_id !== eventId) { return; }
    typers[data.user.display_name] = Date.now();
    showTyping();
  });
  function showTyping() {
    var now = Date.now();
    var names = Object.keys(typers).filter(function (name) { return now - typers[name] < 4000; });
    typingLine.textContent = names.length ? ngettext("%(names)s is typing…", "%(names)s are typing…", names.length, { names: names.join(", ") }) : "";
    if (names.length) { setTimeout(showTyping, 1000); }
  }

  // The server's link to the other processes (Redis) came back after
  // lost_seconds: their broadcasts in that gap never came, though this
  // process's did, so the newest id shown proves nothing. Join again from
  // the last mark before the gap (10 s margin); addMessage skips ids already
  // shown. A random delay spreads a whole room's re-joins over two seconds.
  socket.on("resync", function (data) {
    var lost = data && typeof data.lost_seconds === "number" ? data.lost_seconds : 0;
    var before = Date.now() - (lost + 10) * 1000, since = marks[0].id;
    for (var i = marks.length - 1; i > 0; i--) {
      if (marks[i].at <= before) { since = marks[i].id; break; }
    }
    setTimeout(function () { join(true, since); }, Math.random() * 2000);
  });
  socket.on("disconnect", function () { setState("offline", _("Connection lost: reconnecting…")); });
  socket.io.on("reconnect_attempt", function () { setState("offline", _("Reconnecting…")); });
  socket.on("connect_error", function () { setState("offline", _("Cannot reach the server: retrying…")); });

  // Joining waits for the page's words (a catalog of a few kB), so nothing
  // appears in English first and changes a moment later.
  window.staffroomI18n.ready.then(function () {
    Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (item) {
      seen[item.getAttribute("data-id")] = true;
      addTools(item);
    });
    scrollToEnd();
    socket.on("connect", join);
    if (socket.connected) { join(); }
  });
})();
