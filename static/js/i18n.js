// Translations for the page scripts: Django's JavaScript catalog (loaded by
// base.html before the modules, /jsi18n/<lang>.js) defines gettext, ngettext and
// interpolate on window. Without it (a cached page, a failed load) the French
// source strings are shown.
export const gettext = window.gettext || ((text) => text);
export const interpolate =
  window.interpolate ||
  ((format, values, named) =>
    named ? format.replace(/%\(\w+\)s/g, (match) => String(values[match.slice(2, -2)])) : format.replace(/%s/g, () => String(values.shift())));

// The page's language (<html lang>), "fr" or "en".
export const language = document.documentElement.lang || "fr";
export const isFrench = language.startsWith("fr");
// The source strings are French: French has no catalogue, and Django's fallback
// follows English's rule (« 0 lieux »). French says « 0 lieu »: the singular for 0 and 1.
export const ngettext = isFrench
  ? (singular, plural, count) => (count > 1 ? plural : singular)
  : window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
// Dates and numbers: English dates are written day first ("Tuesday 1 December
// 2026"), like the server's; French keeps its own.
export const dateLocale = isFrench ? "fr-FR" : "en-GB";

// "%(count)s lieux" with named values.
export function format(text, values) {
  return interpolate(text, values, true);
}
