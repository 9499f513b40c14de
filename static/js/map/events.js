// « Événements à venir »: a second layer, off by default, switched by a real
// button (aria-pressed) over the map; its state is kept in the hash (layers=events).
// Its markers say the day and month, up and to the right of their point.
import { dateLocale, format, gettext, isFrench, ngettext } from "../i18n.js";
import { clusterIcon } from "./layers.js";
import { POPUP_OPTIONS } from "./popups.js";
import { config, el, map, setFlag, state, statusElement, writeHash } from "./state.js";

export const eventsLayer = {
  loaded: false,
  group: L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 35,
    spiderfyOnMaxZoom: true,
    clusterPane: "events",
    iconCreateFunction: (group) =>
      clusterIcon(
        group,
        ngettext("%(count)s événement, zoomer pour le voir", "%(count)s événements, zoomer pour les voir", group.getChildCount()),
        "event-cluster",
        // Up and to the right of its point: a hub's cluster at the same place stays in sight.
        [-6, 46],
      ),
  }),
};
export const eventsToggle = document.getElementById("events-layer-toggle");
const paris = { timeZone: "Europe/Paris" };
const dayFormat = new Intl.DateTimeFormat(dateLocale, { ...paris, weekday: "long", day: "numeric", month: "long", year: "numeric" });
const pinDay = new Intl.DateTimeFormat(dateLocale, { ...paris, day: "numeric" });
const pinMonth = new Intl.DateTimeFormat(dateLocale, { ...paris, month: "short" });
const timeParts = new Intl.DateTimeFormat("fr-FR", { ...paris, hour: "numeric", minute: "numeric", hourCycle: "h23" });
const STATUS_LABELS = { cancelled: gettext("Annulé"), postponed: gettext("Reporté"), full: gettext("Complet") };

// « 18 h 30 » in French; "6:30 PM" in English (as the server writes them).
function timeLabel(date) {
  const parts = Object.fromEntries(timeParts.formatToParts(date).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour);
  if (!isFrench) return `${hour % 12 || 12}:${parts.minute} ${hour < 12 ? "AM" : "PM"}`;
  return parts.minute === "00" ? `${hour}\u00a0h` : `${hour}\u00a0h\u00a0${parts.minute}`;
}

// « mardi 1er décembre 2026 » (French writes the first of the month as an
// ordinal), "Tuesday 1 December 2026": weekday, day, month, year, as the server writes them.
function dayLabel(date) {
  const parts = Object.fromEntries(dayFormat.formatToParts(date).map((p) => [p.type, p.value]));
  const day = isFrench && parts.day === "1" ? "1er" : parts.day;
  return `${parts.weekday} ${day} ${parts.month} ${parts.year}`;
}

function eventWhen(p) {
  const start = new Date(p.start);
  const end = new Date(p.end);
  const first = dayLabel(start);
  const last = dayLabel(end);
  if (first !== last) return format(gettext("du %(first)s au %(last)s"), { first, last });
  if (p.all_day) return first;
  return `${first}, ${timeLabel(start)} – ${timeLabel(end)}`;
}

function eventIcon(p, label) {
  const start = new Date(p.start);
  return L.divIcon({
    className: `event-pin event-pin--${p.status}`,
    // The marker is a button: its name is the label, not the day and month it shows.
    html: el(
      "span",
      {},
      el("span", { class: "visually-hidden" }, label),
      el("span", { class: "event-pin__box", "aria-hidden": "true" }, pinDay.format(start), el("small", {}, pinMonth.format(start).replace(".", ""))),
    ),
    iconSize: [30, 30],
    // Up and to the right of its point, as its clusters: the hub it takes place in stays in sight.
    iconAnchor: [-6, 36],
    popupAnchor: [21, -36],
  });
}

function eventPopup(p) {
  return el(
    "div",
    { class: "popup popup--event" },
    el(
      "p",
      { class: "popup__kinds" },
      el("span", { class: "event-kind" }, p.kind_label.charAt(0).toUpperCase() + p.kind_label.slice(1)),
      STATUS_LABELS[p.status] ? el("span", { class: `event-status event-status--${p.status}` }, STATUS_LABELS[p.status]) : null,
    ),
    el("h3", { class: "popup__name" }, el("a", { href: p.url }, p.title)),
    el("p", { class: "popup__when" }, eventWhen(p)),
    el("p", { class: "popup__place" }, p.commune || ""),
    el("a", { class: "popup__link", href: p.url }, gettext("Voir l’événement →")),
  );
}

async function loadEvents() {
  const response = await fetch(config.eventsGeojsonUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`events: HTTP ${response.status}`);
  const data = await response.json();
  const markers = data.features.map((feature) => {
    const [lng, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const label = `${p.title} (${STATUS_LABELS[p.status] ? `${STATUS_LABELS[p.status]}, ` : ""}${dayLabel(new Date(p.start))})`;
    const marker = L.marker([lat, lng], { icon: eventIcon(p, label), title: label, alt: label, riseOnHover: true, pane: "events" });
    marker.bindPopup(() => eventPopup(p), POPUP_OPTIONS);
    return marker;
  });
  eventsLayer.group.addLayers(markers);
  eventsLayer.loaded = true;
  eventsLayer.count = markers.length;
}

export async function setEventsLayer(on) {
  state.eventsOn = on;
  eventsToggle.setAttribute("aria-pressed", String(on));
  setFlag("eventsReady", "false");
  if (on) {
    if (!eventsLayer.loaded && config.eventsGeojsonUrl) {
      eventsToggle.setAttribute("aria-busy", "true");
      try {
        await loadEvents();
      } catch (error) {
        eventsToggle.removeAttribute("aria-busy");
        state.eventsOn = false;
        eventsToggle.setAttribute("aria-pressed", "false");
        statusElement.replaceChildren(el("p", { class: "alert alert--error", role: "alert" }, gettext("Les événements n’ont pas pu être chargés.")));
        setFlag("eventsReady", "error");
        return;
      }
      eventsToggle.removeAttribute("aria-busy");
    }
    if (state.eventsOn) map.addLayer(eventsLayer.group);
  } else {
    map.removeLayer(eventsLayer.group);
  }
  const count = eventsLayer.count ?? 0;
  eventsToggle.title = on
    ? format(ngettext("%(count)s événement à venir sur la carte", "%(count)s événements à venir sur la carte", count), { count })
    : "";
  writeHash();
  setFlag("eventsLayer", on ? "on" : "off");
  setFlag("eventsReady", "true");
}

eventsToggle?.addEventListener("click", () => setEventsLayer(!state.eventsOn));
