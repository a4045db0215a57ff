// A collection's order, changed in place: drag an item by its handle
// (pointer events: mouse, pen and touch), or use its Move up / Move down
// buttons, which without JavaScript post a form and reload the page. Each
// change is saved with PUT /api/v1/collections/<id>/order and announced in a
// status line; if saving fails the page says so and reloads the saved order.
// Its words come from the page's catalog (static/js/i18n.js).
(function () {
  "use strict";
  var i18n = window.staffroomI18n;
  var _ = i18n.gettext;

  var list = document.querySelector("ol[data-reorder]");
  if (!list || !window.fetch) {
    return;
  }
  var collectionId = list.getAttribute("data-reorder");
  var tokenInput = list.querySelector("input[name=csrf_token]");
  var status = document.createElement("p");
  status.className = "hint reorder-status";
  status.setAttribute("role", "status");
  list.parentNode.insertBefore(status, list.nextSibling);
  list.classList.add("reorderable");
  var hint = document.getElementById("reorder-hint");
  if (hint) {
    i18n.ready.then(function () {
      hint.textContent = _("Drag a resource by its handle (⠿), or use Move up and Move down, to change the order.");
    });
  }

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("li[data-resource-id]"));
  }

  function order() {
    return items().map(function (item) { return Number(item.getAttribute("data-resource-id")); });
  }

  function title(item) {
    var link = item.querySelector(".card-title a");
    return link ? link.textContent : "";
  }

  function refreshButtons() {
    var all = items();
    all.forEach(function (item, index) {
      var up = item.querySelector("button[value=up]");
      var down = item.querySelector("button[value=down]");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === all.length - 1; }
    });
  }

  function save(item) {
    var all = items();
    var position = all.indexOf(item) + 1;
    status.textContent = _("Saving the order…");
    return fetch("/api/v1/collections/" + collectionId + "/order", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenInput ? tokenInput.value : "" },
      body: JSON.stringify({ resource_ids: order() })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      status.textContent = _("Moved “%(title)s” to position %(position)s of %(count)s. Saved.",
        { title: title(item), position: position, count: all.length });
    }).catch(function () {
      status.textContent = _("The order could not be saved; the page shows the saved order again.");
      window.setTimeout(function () { window.location.reload(); }, 1500);
    });
  }

  // Keyboard and buttons: move without a reload and keep the focus on the button.
  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("move-form")) { return; }
    var button = event.submitter;
    if (!button || (button.value !== "up" && button.value !== "down")) { return; }
    event.preventDefault();
    var item = form.closest("li");
    var sibling = button.value === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(item, button.value === "up" ? sibling : sibling.nextElementSibling);
    refreshButtons();
    var focusOn = button.disabled ? form.querySelector("button:not([disabled])") : button;
    if (focusOn) { focusOn.focus(); }
    save(item);
  });

  // Dragging by the handle.
  var dragged = null;
  var startOrder = null;

  function onMove(event) {
    if (!dragged) { return; }
    event.preventDefault();
    var target = document.elementFromPoint(event.clientX, event.clientY);
    var over = target && target.closest("li[data-resource-id]");
    if (!over || over === dragged || over.parentNode !== list) { return; }
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextElementSibling : over);
  }

  function onUp() {
    if (!dragged) { return; }
    var item = dragged;
    dragged = null;
    item.classList.remove("dragging");
    document.removeEventListener("pointermove", onMove);
    document.removeEventListener("pointerup", onUp);
    document.removeEventListener("pointercancel", onUp);
    refreshButtons();
    if (order().join(",") !== startOrder) { save(item); }
  }

  items().forEach(function (item) {
    var handle = item.querySelector(".drag-handle");
    if (!handle) { return; }
    handle.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      event.preventDefault();
      dragged = item;
      startOrder = order().join(",");
      item.classList.add("dragging");
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
      document.addEventListener("pointercancel", onUp);
    });
  });
})();
