// Registration: the time zone starts at this device's own (the server cannot
// know it), when the list has it; the member can still pick another. Only on
// a first visit (data-device-timezone): a form sent back with errors keeps
// what was chosen. Without JavaScript the list stays at UTC.
(function () {
  "use strict";
  var select = document.querySelector("select[data-device-timezone]");
  if (!select || !window.Intl) { return; }
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (unsupported) { return; }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
