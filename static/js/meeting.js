// The "Join the call" box (templates/events/_macros.html, join_call): a
// member going sees the button from 15 minutes before the start until the
// end. The page came with the server's time (data-now), so a computer whose
// clock is wrong still shows it on time; without script a reload does. The
// button leads to /events/<id>/join, which checks again at the click.
(function () {
  "use strict";
  var MAX_DELAY = 2147483647;  // setTimeout's limit (~24 days); later, a reload does it
  var loaded = Date.now();

  function schedule(box, attribute, then) {
    var serverNow = Date.parse(box.getAttribute("data-now"));
    var when = Date.parse(box.getAttribute(attribute) || "");
    var delay = when - serverNow - (Date.now() - loaded);
    if (isNaN(delay) || delay > MAX_DELAY) { return; }
    window.setTimeout(then, Math.max(0, delay));
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-join-call]"), function (box) {
    var button = box.querySelector("[data-join-button]");
    var wait = box.querySelector("[data-join-wait]");
    var over = box.querySelector("[data-join-over]");
    if (!button) { return; }
    if (wait) {
      schedule(box, "data-opens-at", function () { button.hidden = false; wait.hidden = true; });
    }
    schedule(box, "data-ends-at", function () {
      button.hidden = true;
      if (wait) { wait.hidden = true; }
      over.hidden = false;
    });
  });
})();
