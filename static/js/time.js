// Times in scripts follow the pages' rule (app/template_helpers.py): the
// viewer's zone from <html data-timezone>, 24-hour "HH:MM", then the zone's
// abbreviation as the server writes it. Intl gives the clock and the UTC
// offset of any instant in that zone; <html data-zone-names> ("600=AEST
// 660=AEDT") turns the offset into the server's abbreviation, where Intl
// would say "GMT+11". window.staffroomTime.format(iso) -> "04:26 AEDT";
// formatDateTime(iso) -> "Mon 07 Dec 2026, 04:26 AEDT". Both are in the
// page's language (<html lang>, Latin digits as the server writes them):
// "lun 07 dic 2026, 04:26 AEDT" on a Spanish page.
(function () {
  "use strict";
  var root = document.documentElement;
  var lang = root.getAttribute("lang") || "en";
  var english = /^en\b/i.test(lang);
  var rightToLeft = root.getAttribute("dir") === "rtl";
  var locale = lang + "-u-nu-latn";
  var zone = root.getAttribute("data-timezone") || "UTC";
  var names = {};
  (root.getAttribute("data-zone-names") || "").split(" ").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) { names[pair.slice(0, at)] = pair.slice(at + 1); }
  });

  function formats(timeZone) {
    return {
      clock: new Intl.DateTimeFormat(locale, { timeZone: timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      parts: new Intl.DateTimeFormat("en-GB", {
        timeZone: timeZone, hourCycle: "h23", timeZoneName: "short", year: "numeric", month: "numeric",
        day: "numeric", hour: "numeric", minute: "numeric", second: "numeric"
      }),
      // The date in words, for pages in other languages (English keeps the fixed form below).
      day: new Intl.DateTimeFormat(locale, {
        timeZone: timeZone, weekday: "short", day: "2-digit", month: "short", year: "numeric"
      })
    };
  }
  var format;
  try { format = formats(zone); } catch (unknownZone) { zone = "UTC"; format = formats(zone); }

  function fields(date) {
    var found = {};
    format.parts.formatToParts(date).forEach(function (part) { found[part.type] = part.value; });
    return found;
  }
  // Minutes ahead of UTC: the wall-clock time read back as if it were UTC.
  function offsetMinutes(date, found) {
    var wall = Date.UTC(Number(found.year), Number(found.month) - 1, Number(found.day),
      Number(found.hour), Number(found.minute), Number(found.second));
    return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  }

  function formatTime(value) {
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) { return ""; }
    var found = fields(date);
    var name = names[String(offsetMinutes(date, found))] || found.timeZoneName;
    // A numeric zone ("+03") on a right-to-left page is isolated left to right, as the server does.
    if (rightToLeft && /^[+-]/.test(name)) { name = "\u2066" + name + "\u2069"; }
    return format.clock.format(date) + " " + name;
  }

  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function pad(number) { return (number < 10 ? "0" : "") + number; }

  // The date too, as the localtime filter's default: "Mon 07 Dec 2026, 08:13 UTC".
  function formatDateTime(value) {
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) { return ""; }
    if (!english) { return format.day.format(date) + ", " + formatTime(date); }
    var found = fields(date);
    var year = Number(found.year), month = Number(found.month), day = Number(found.day);
    var weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return DAYS[weekday] + " " + pad(day) + " " + MONTHS[month - 1] + " " + year + ", " + formatTime(date);
  }

  window.staffroomTime = { zone: zone, format: formatTime, formatDateTime: formatDateTime };
})();
