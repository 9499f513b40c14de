// A hub's popup: its kinds, name and link at once, its address and summary from
// /api/v1/hubs/<id>.json when it opens (the GeoJSON stays small).
import { dateLocale, format, gettext } from "../i18n.js";
import { cluster } from "./layers.js";
import { config, el, kinds, map } from "./state.js";

const oneDecimal = new Intl.NumberFormat(dateLocale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function formatDistance(km) {
  if (km < 0.1) return gettext("moins de 100 m"); // « à 0 m » read oddly
  if (km < 1) return `${Math.round(km * 100) * 10}\u00a0m`;
  if (km < 10) return `${oneDecimal.format(km)}\u00a0km`;
  return `${Math.round(km)}\u00a0km`;
}

// « à 2,5 km » / "2.5 km away"
function distanceLabel(km) {
  return format(gettext("à %(distance)s"), { distance: formatDistance(km) });
}

function kindBadges(slugs) {
  return slugs
    .filter((slug) => kinds.has(slug))
    .map((slug) => el("span", { class: "kind-badge", style: `--kind: ${kinds.get(slug).color}` }, kinds.get(slug).name));
}

// A hub's popup is made when it is first opened (a click, a tap, Enter, or
// « Voir sur la carte »), not for each of thousands of markers up front; from
// then on the marker opens and closes it itself.
export function openHubPopup(marker) {
  if (marker.getPopup()) {
    marker.openPopup();
    return;
  }
  marker.bindPopup((layer) => popupContent(marker.feature, layer), POPUP_OPTIONS);
  marker.openPopup();
}

// A click or a tap reaches the group; Enter too, as a keypress (Leaflet's marker
// turns it into a click of its own that does not bubble).
cluster.on("click keypress", (event) => {
  if (event.type === "keypress" && event.originalEvent.keyCode !== 13) return;
  if (!event.layer.getPopup()) openHubPopup(event.layer);
});

function hubUrl(feature) {
  return config.hubUrl.replace("{slug}", encodeURIComponent(feature.properties.slug));
}

const details = new Map(); // hub id → promise of /api/v1/hubs/<id>.json

function hubDetails(feature) {
  if (!details.has(feature.id)) {
    const url = config.hubJsonUrl.replace("{id}", String(feature.id));
    details.set(
      feature.id,
      fetch(url, { headers: { Accept: "application/json" } }).then((response) => (response.ok ? response.json() : null)).catch(() => null),
    );
  }
  return details.get(feature.id);
}

// Popups keep clear of the controls over the map's top (zoom, events layer).
const POPUP_PADDING_TOP = 64;
export const POPUP_OPTIONS = { maxWidth: 280, autoPanPaddingTopLeft: L.point(10, POPUP_PADDING_TOP) };

// A popup grows when its details arrive, upwards from its marker: pan the map
// so that its top (the hub's name, the focused link) stays in sight, but never
// so far that the hub itself leaves the map (a small map on a phone: the list
// follows the map, and would lose the hub whose popup is open). Not while
// the map moves (the popup's own pan into view, a zoom): measured mid-flight,
// the popup looks far off and the map would jump away from the hub; once the
// move has ended.
let moving = false;
map.on("movestart", () => {
  moving = true;
});
map.on("moveend", () => {
  moving = false;
});

function keepPopupInView(popup) {
  const element = popup?.isOpen() && popup.getElement();
  if (!element) return;
  if (moving) {
    map.once("moveend", () => keepPopupInView(popup));
    return;
  }
  const overflow = element.getBoundingClientRect().top - map.getContainer().getBoundingClientRect().top - POPUP_PADDING_TOP;
  const hubRoom = map.getSize().y - HUB_MARGIN_BOTTOM - map.latLngToContainerPoint(popup.getLatLng()).y;
  const shift = Math.max(overflow, -Math.max(hubRoom, 0));
  // At once, not animated: a link moving under the pointer would miss its click.
  if (shift < 0) map.panBy([0, shift], { animate: false });
}
const HUB_MARGIN_BOTTOM = 12;

function popupContent(feature, marker) {
  const p = feature.properties;
  const url = hubUrl(feature);
  const distance = p.distance_km !== undefined ? ` · ${distanceLabel(p.distance_km)}` : "";
  const place = el("p", { class: "popup__place" }, distance ? distance.slice(3) : "");
  const summary = el("p", { class: "popup__summary", "aria-live": "polite" });
  // The GeoJSON carries the name and kinds only; the rest comes when the popup opens.
  hubDetails(feature).then((hub) => {
    if (!hub) return;
    const address = [hub.address, `${hub.postcode} ${hub.commune}`.trim()].filter(Boolean).join(", ");
    place.replaceChildren(address + distance);
    summary.replaceChildren(hub.summary ? el("span", { class: "popup__summary-text" }, hub.summary) : "");
    if (hub.status !== "open") summary.prepend(el("strong", {}, `${hub.status_label[0].toUpperCase()}${hub.status_label.slice(1)}. `));
    keepPopupInView(marker?.getPopup());
  });
  return el(
    "div",
    { class: "popup" },
    el("p", { class: "popup__kinds" }, kindBadges(p.kinds)),
    el("h3", { class: "popup__name" }, el("a", { href: url }, p.name)),
    place,
    summary,
    el("a", { class: "popup__link", href: url }, gettext("Voir la fiche →")),
  );
}
