// The resource page's "Add to collection": with JavaScript, ticking or
// unticking one of your collections adds or removes the resource at once
// (POST / DELETE /api/v1/collections/<id>/items) and says so; naming a new
// collection still goes through the form's Save button, which also works
// without JavaScript. Its words come from the page's catalog (static/js/i18n.js).
(function () {
  "use strict";
  var _ = window.staffroomI18n.gettext;

  var form = document.querySelector("form.collect-form[data-resource-id]");
  if (!form || !window.fetch) {
    return;
  }
  var resourceId = Number(form.getAttribute("data-resource-id"));
  var token = form.querySelector("input[name=csrf_token]");
  var status = document.createElement("p");
  status.className = "hint collect-status";
  status.setAttribute("role", "status");
  form.insertBefore(status, form.firstChild);

  function name(box) {
    var label = box.closest("label");
    return label ? label.textContent.trim() : _("the collection");
  }

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "collection_ids") { return; }
    var adding = box.checked;
    var path = "/api/v1/collections/" + box.value + "/items" + (adding ? "" : "/" + resourceId);
    box.setAttribute("aria-busy", "true");
    fetch(path, {
      method: adding ? "POST" : "DELETE",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: adding ? JSON.stringify({ resource_id: resourceId }) : undefined
    }).then(function (response) {
      // 409: it was there already; 404 on removal: it was gone already. Either way the box is right.
      if (!response.ok && response.status !== 409 && !(response.status === 404 && !adding)) {
        throw new Error(String(response.status));
      }
      status.textContent = adding ? _("Added to “%(name)s”.", { name: name(box) })
        : _("Removed from “%(name)s”.", { name: name(box) });
    }).catch(function () {
      box.checked = !adding;
      status.textContent = _("That did not work; try again, or use Save collections.");
    }).then(function () {
      box.removeAttribute("aria-busy");
    });
  });
})();
