// Strings in scripts, in the page's language. base.html names the page's
// catalog on <html data-i18n-url> (static/i18n/<locale>.json, written from
// app/translations by `flask i18n compile`; none for English). Until it has
// loaded, and for a string it lacks, the English is shown.
//   var _ = window.staffroomI18n.gettext;
//   _("Added to “%(name)s”.", {name: "Maths"})
//   window.staffroomI18n.ngettext("%(num)s reply", "%(num)s replies", 3)
// Mark strings as `_("...")`, `gettext(...)` or `ngettext(...)`: pybabel
// extracts those calls from static/js (babel.cfg).
(function () {
  "use strict";
  var root = document.documentElement;
  var lang = root.getAttribute("lang") || "en";
  var messages = {};
  var categories = ["one", "other"];
  var url = root.getAttribute("data-i18n-url");

  var ready = !url || !window.fetch ? Promise.resolve() : fetch(url, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (catalog) {
      messages = catalog.messages || {};
      categories = catalog.plural_categories || categories;
    })
    .catch(function () { /* English it is */ });

  function fill(text, values) {
    return String(text).replace(/%\(([a-zA-Z_]+)\)[sd]/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function gettext(msgid, values) {
    var found = messages[msgid];
    return fill(typeof found === "string" && found ? found : msgid, values);
  }

  // The catalog's forms are in CLDR order (zero, one, two, few, many, other,
  // as many as the language has); Intl.PluralRules says which one `count` takes.
  function ngettext(singular, plural, count, values) {
    var filled = Object.assign({ num: count }, values || {});
    var forms = messages[singular];
    if (Array.isArray(forms) && window.Intl && Intl.PluralRules) {
      var at = categories.indexOf(new Intl.PluralRules(lang).select(count));
      var form = forms[at < 0 ? forms.length - 1 : at];
      if (form) { return fill(form, filled); }
    }
    return fill(count === 1 ? singular : plural, filled);
  }

  window.staffroomI18n = { lang: lang, ready: ready, gettext: gettext, ngettext: ngettext };
})();
