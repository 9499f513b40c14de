// Home page: the map of hubs, its filters and the list that follows the map view.
// Boots from the JSON settings in #map-config; state lives in the URL
// (filters in the query string, view in the hash: #map=zoom/lat/lng).
import { dateLocale, format, gettext, isFrench, ngettext } from "./i18n.js";
import { setupPlaceField } from "./place_combobox.js";

document.documentElement.classList.add("js");
const config = JSON.parse(document.getElementById("map-config").textContent);
const kinds = new Map(config.kinds.map((kind) => [kind.slug, kind]));
const explorer = document.getElementById("explorer");
const form = document.getElementById("hub-filters");
const listElement = document.getElementById("hub-list");
const statusElement = document.getElementById("results-status");
const serverPagination = document.getElementById("server-pagination");

let features = [];
let center = null; // [lat, lng] of a near search
const markersById = new Map();
let building = Promise.resolve(); // the markers of the last search, being clustered
let clustered = null; // resolves `building` when markercluster has placed them all

// ---------------------------------------------------------------- map
const map = L.map("map", {
  minZoom: config.minZoom,
  maxZoom: config.maxZoom,
  zoomControl: false,
});
L.control.zoom({ zoomInTitle: gettext("Zoomer"), zoomOutTitle: gettext("Dézoomer") }).addTo(map);
// Leaflet's own link carries an English title: a plain link instead.
map.attributionControl.setPrefix('<a href="https://leafletjs.com" hreflang="en">Leaflet</a>');
L.tileLayer(config.tiles.url, {
  attribution: config.tiles.attribution,
  maxZoom: config.maxZoom,
}).addTo(map);
// Hubs cluster up to the last zoom level: hubs at one address (or a few metres
// apart) stay one cluster, which spreads them out (spiderfy) on a click, a tap,
// Enter or Space at whatever zoom they would still overlap (issue 16). Events
// get a pane under the hubs' (their markers never cover a hub).
map.createPane("events").style.zIndex = "590";
// Ten thousand hubs are clustered in slices of about 60 ms, one after the other:
// no task long enough to stall a phone's pointer (markercluster's default slices
// are 200 ms, 50 ms apart).
const cluster = L.markerClusterGroup({
  chunkedLoading: true,
  chunkInterval: 60,
  chunkDelay: 1,
  chunkProgress: (done, total) => {
    if (done === total) clustered?.();
  },
  showCoverageOnHover: false,
  maxClusterRadius: 45,
  spiderfyOnMaxZoom: true,
  iconCreateFunction: (group) =>
    clusterIcon(group, ngettext("%(count)s lieu, zoomer pour le voir", "%(count)s lieux, zoomer pour les voir", group.getChildCount())),
});
map.addLayer(cluster);
let radiusCircle = null;

function viewFromHash() {
  const match = /map=(\d+)\/(-?[\d.]+)\/(-?[\d.]+)/.exec(window.location.hash);
  if (!match) return null;
  const [zoom, lat, lng] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (![zoom, lat, lng].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return null;
  }
  return { zoom, center: [lat, lng] };
}

function writeHash() {
  const c = map.getCenter();
  const layers = eventsLayer.on ? "&layers=events" : "";
  const hash = `#map=${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}${layers}`;
  history.replaceState(history.state, "", `${window.location.pathname}${window.location.search}${hash}`);
}

// ---------------------------------------------------------------- events layer
// "Événements à venir": a second layer, off by default, switched by a real
// button (aria-pressed) over the map; its state is kept in the hash (layers=events).
const eventsLayer = {
  on: /(^#|&)layers=([^&]*,)?events(,|&|$)/.test(window.location.hash),
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
const eventsToggle = document.getElementById("events-layer-toggle");
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

async function setEventsLayer(on) {
  eventsLayer.on = on;
  eventsToggle.setAttribute("aria-pressed", String(on));
  document.documentElement.dataset.eventsReady = "false";
  if (on) {
    if (!eventsLayer.loaded && config.eventsGeojsonUrl) {
      eventsToggle.setAttribute("aria-busy", "true");
      try {
        await loadEvents();
      } catch (error) {
        eventsToggle.removeAttribute("aria-busy");
        eventsLayer.on = false;
        eventsToggle.setAttribute("aria-pressed", "false");
        statusElement.replaceChildren(el("p", { class: "alert alert--error", role: "alert" }, gettext("Les événements n’ont pas pu être chargés.")));
        document.documentElement.dataset.eventsReady = "error";
        return;
      }
      eventsToggle.removeAttribute("aria-busy");
    }
    if (eventsLayer.on) map.addLayer(eventsLayer.group);
  } else {
    map.removeLayer(eventsLayer.group);
  }
  const count = eventsLayer.count ?? 0;
  eventsToggle.title = on
    ? format(ngettext("%(count)s événement à venir sur la carte", "%(count)s événements à venir sur la carte", count), { count })
    : "";
  writeHash();
  document.documentElement.dataset.eventsLayer = on ? "on" : "off";
  document.documentElement.dataset.eventsReady = "true";
}

if (eventsToggle) {
  eventsToggle.addEventListener("click", () => setEventsLayer(!eventsLayer.on));
}

const initialView = viewFromHash();
if (initialView) {
  map.setView(initialView.center, initialView.zoom);
} else {
  map.setView(config.center, config.zoom);
}

// ---------------------------------------------------------------- helpers
// A cluster is a button (Enter zooms in): its name says what it holds.
function clusterIcon(group, label, extraClass = "", anchor = null) {
  const count = group.getChildCount();
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const name = el("span", { class: "visually-hidden" }, format(label, { count }));
  return L.divIcon({
    html: el("div", {}, el("span", { "aria-hidden": "true" }, String(count)), name),
    className: `marker-cluster marker-cluster-${size} ${extraClass}`.trim(),
    iconSize: L.point(40, 40),
    iconAnchor: anchor ? L.point(...anchor) : null,
  });
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const oneDecimal = new Intl.NumberFormat(dateLocale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function formatDistance(km) {
  if (km < 1) return `${Math.round(km * 100) * 10} m`;
  if (km < 10) return `${oneDecimal.format(km)} km`;
  return `${Math.round(km)} km`;
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

// One icon per colour, shared by the markers of that kind.
const icons = new Map();

function markerIcon(feature) {
  const kind = kinds.get(feature.properties.kinds[0]);
  const color = kind ? kind.color : "#1d4ed8";
  if (!icons.has(color)) {
    icons.set(
      color,
      L.divIcon({
        className: "hub-pin",
        html: `<span class="hub-pin__dot" style="--kind: ${color}"></span>`,
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        popupAnchor: [0, -12],
      }),
    );
  }
  return icons.get(color);
}

// A hub's popup is made when it is first opened (a click, a tap, Enter, or
// « Voir sur la carte »), not for each of thousands of markers up front; from
// then on the marker opens and closes it itself.
function openHubPopup(marker) {
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
const POPUP_OPTIONS = { maxWidth: 280, autoPanPaddingTopLeft: L.point(10, POPUP_PADDING_TOP) };

// A popup grows when its details arrive, upwards from its marker: pan the map
// so that its top (the hub's name, the focused link) stays in sight.
function keepPopupInView(popup) {
  const element = popup?.isOpen() && popup.getElement();
  if (!element) return;
  const overflow = element.getBoundingClientRect().top - map.getContainer().getBoundingClientRect().top - POPUP_PADDING_TOP;
  // At once, not animated: a link moving under the pointer would miss its click.
  if (overflow < 0) map.panBy([0, overflow], { animate: false });
}

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
    summary.replaceChildren(hub.summary || "");
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

// ---------------------------------------------------------------- list
// The list holds the cards of the hubs in the map's view, drawn by the server
// (/hubs/cards/: the template of the list pages, so a card shows the same fields
// whoever draws it): the page's filters, plus the map's area when some of the
// hubs found are out of view. A page at a time; « Afficher les lieux suivants »
// appends the next one.
function countInView() {
  const bounds = map.getBounds();
  return features.filter((f) => bounds.contains(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]))).length;
}

// The map's view as a bbox, rounded outwards (4 decimals: 11 m) and inside the world.
function viewArea() {
  const b = map.getBounds();
  const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
  const down = (value, limit) => clamp(Math.floor(value * 1e4) / 1e4, limit);
  const up = (value, limit) => clamp(Math.ceil(value * 1e4) / 1e4, limit);
  return [down(b.getWest(), 180), down(b.getSouth(), 90), up(b.getEast(), 180), up(b.getNorth(), 90)].join(",");
}

// The cards the server drew with the page: its selection's first page.
let drawnKey = config.cardsDrawn ? currentQuery().toString() : null;
let listKey = null;
let listDrawing = Promise.resolve();
let listRequest = null; // the AbortController of the cards being fetched
let listPage = 1;
let listCount = 0; // hubs in view

const moreButton = el("button", { type: "button", class: "button button--ghost button--small" }, gettext("Afficher les lieux suivants"));
const moreParagraph = el("p", { class: "list-more", hidden: true }, moreButton);
listElement.after(moreParagraph);

async function fetchCards(key, page) {
  listRequest?.abort();
  listRequest = new AbortController();
  const query = new URLSearchParams(key);
  if (page > 1) query.set("page", String(page));
  const response = await fetch(`${config.cardsUrl}?${query}`, { signal: listRequest.signal, headers: { Accept: "text/html" } });
  if (!response.ok) throw new Error(`cards: HTTP ${response.status}`);
  // Our own server's HTML, escaped by its templates.
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  return template.content;
}

function renderList() {
  const count = countInView();
  // None of the hubs found in view: nothing to ask for.
  const key = features.length && !count ? "none" : currentQuery().toString();
  const area = key !== "none" && count < features.length ? viewArea() : null;
  const fullKey = area ? `${key}${key ? "&" : ""}bbox=${area}` : key;
  if (fullKey !== listKey) {
    listKey = fullKey;
    listCount = count;
    listDrawing = drawList(fullKey, count);
  }
  return listDrawing;
}

async function drawList(key, count) {
  document.documentElement.dataset.listReady = "false";
  moreParagraph.hidden = true;
  if (serverPagination) serverPagination.hidden = true;
  let cards = null;
  if (key !== "none" && key !== drawnKey) {
    try {
      cards = await fetchCards(key, 1);
    } catch (error) {
      if (key !== listKey) return; // a newer view took over
      listKey = null;
      statusElement.replaceChildren(el("p", { class: "alert alert--error", role: "alert" }, gettext("Les lieux n'ont pas pu être chargés.")));
      document.documentElement.dataset.listReady = "error";
      return;
    }
    if (key !== listKey) return;
  }
  // A keyboard user's focus in the list stays on the same hub's link or button
  // (when the hub is still listed).
  const focused = listElement.contains(document.activeElement) ? document.activeElement : null;
  const focusedId = focused?.closest("[data-hub-id]")?.dataset.hubId;
  const focusedPart = focused?.matches("[data-show-on-map]") ? "[data-show-on-map]" : "a";
  if (key === "none") listElement.replaceChildren();
  else if (cards) listElement.replaceChildren(cards);
  drawnKey = null; // once: the page's own cards, then fetched ones
  listPage = 1;
  renderStatus(count);
  if (focusedId) listElement.querySelector(`[data-hub-id="${focusedId}"] ${focusedPart}`)?.focus({ preventScroll: true });
  document.documentElement.dataset.listReady = "true";
}

function renderStatus(count) {
  const shown = listElement.querySelectorAll(".hub-card").length;
  let message;
  if (features.length === 0) {
    message = gettext("Aucun lieu ne correspond à ces critères.");
  } else if (count === 0) {
    message = format(
      ngettext(
        "Le lieu trouvé n'est pas dans cette zone de la carte. Dézoomez pour le voir.",
        "Aucun des %(count)s lieux trouvés n'est dans cette zone de la carte. Dézoomez pour les voir.",
        features.length,
      ),
      { count: features.length },
    );
  } else {
    message = format(ngettext("%(count)s lieu dans cette zone de la carte", "%(count)s lieux dans cette zone de la carte", count), { count });
    if (count < features.length) message += format(gettext(" (sur %(total)s trouvés)"), { total: features.length });
    if (shown < count) message += format(gettext(" ; les %(shown)s premiers sont listés, zoomez pour affiner"), { shown });
    message += ".";
  }
  statusElement.replaceChildren(el("p", { class: "results-count", id: "results-count" }, message));
  moreParagraph.hidden = !(shown && shown < count);
}

moreButton.addEventListener("click", async () => {
  const key = listKey;
  moreButton.disabled = true;
  let cards;
  try {
    cards = await fetchCards(key, listPage + 1);
  } catch (error) {
    moreButton.disabled = false;
    return;
  }
  moreButton.disabled = false;
  if (key !== listKey) return;
  listPage += 1;
  const first = cards.querySelector(".hub-card a");
  listElement.append(cards);
  renderStatus(listCount);
  // The keyboard goes on from the first new card.
  first?.focus();
});

// ---------------------------------------------------------------- popups and the keyboard
// A popup opened from the keyboard (Enter on a marker, or « Voir sur la carte »
// in the list) takes the focus; Escape or its close button closes it and gives
// the focus back to what opened it. The list is re-rendered when the map moves:
// its button is found again by the hub id.
let popupOpener = null; // () => the element to focus when the popup closes

map.on("popupopen", (event) => {
  const element = event.popup.getElement();
  const close = element.querySelector(".leaflet-popup-close-button");
  if (close) {
    close.setAttribute("aria-label", gettext("Fermer la fenêtre"));
    close.title = gettext("Fermer la fenêtre");
  }
  const opener = document.activeElement;
  if (!popupOpener && opener?.classList.contains("leaflet-marker-icon")) {
    popupOpener = () => opener;
    element.querySelector(".leaflet-popup-content a[href]")?.focus({ preventScroll: true });
  }
});

map.on("popupclose", (event) => {
  const opener = popupOpener?.();
  popupOpener = null;
  const focus = document.activeElement;
  if (!opener || !(focus === document.body || event.popup.getElement()?.contains(focus))) return;
  if (opener.closest("#results") && !opener.offsetParent) showView("list"); // phone: back to the list
  if (opener.isConnected) opener.focus();
});

map.getContainer().addEventListener("keydown", (event) => {
  if (event.key === "Escape" && event.target.closest(".leaflet-popup")) {
    event.preventDefault();
    map.closePopup();
  } else if (event.key === "Escape" && event.target.classList.contains("leaflet-marker-icon")) {
    foldSpread(event);
  } else if (event.key === " " && event.target.classList.contains("leaflet-marker-icon")) {
    // Markers and clusters are buttons: Space does what Enter (Leaflet) does.
    event.preventDefault();
    event.target.click();
  }
});

// Clusters from the keyboard: Enter or Space zooms in, or spreads out the hubs
// of one address; the focus then goes to the first marker (or smaller cluster)
// of what the cluster held, not back to the top of the page. From the keyboard:
// Leaflet's keypress (Enter), or a click without a pointer (detail 0: Space).
function keyboardClusters(group) {
  group.on("clusterclick clusterkeypress", (event) => {
    const original = event.originalEvent;
    if (!original || !(original.keyCode === 13 || (original.type === "click" && original.detail === 0))) return;
    const held = event.layer;
    const bounds = held.getBounds();
    // After markercluster's own handler, whichever ran first.
    setTimeout(() => {
      if (group._spiderfied === held) {
        group.once("spiderfied", ({ markers }) => markers[0]?._icon?.focus());
      } else {
        map.once("zoomend", () => afterClusters(group, () => focusFirstIn(group, bounds)));
      }
    });
  });
}

function afterClusters(group, callback) {
  if (map.getPane("mapPane").classList.contains("leaflet-cluster-anim")) group.once("animationend", callback);
  else callback();
}

function focusFirstIn(group, bounds) {
  const icons = [];
  map.eachLayer((layer) => {
    const ours = layer instanceof L.MarkerCluster ? layer._group === group : group.hasLayer(layer);
    if (ours && layer._icon && bounds.contains(layer.getLatLng())) icons.push(layer._icon);
  });
  icons.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  icons[0]?.focus();
}

// Escape on a spread-out marker folds its cluster back and focuses it.
function foldSpread(event) {
  for (const group of [cluster, eventsLayer.group]) {
    const spread = group._spiderfied;
    if (!spread || !spread.getAllChildMarkers().some((marker) => marker._icon === event.target)) continue;
    event.preventDefault();
    group.once("unspiderfied", () => spread._icon?.focus());
    group.unspiderfy();
    return;
  }
}

keyboardClusters(cluster);
keyboardClusters(eventsLayer.group);

listElement.addEventListener("click", (event) => {
  const button = event.target.closest("[data-show-on-map]");
  if (!button) return;
  const id = button.dataset.showOnMap;
  const marker = markersById.get(Number(id));
  if (!marker) return;
  showView("map");
  cluster.zoomToShowLayer(marker, () => {
    popupOpener = () => listElement.querySelector(`[data-show-on-map="${id}"]`);
    openHubPopup(marker);
    marker.getPopup().getElement()?.querySelector(".leaflet-popup-content a[href]")?.focus();
  });
});

// ---------------------------------------------------------------- data
function currentQuery() {
  const params = new URLSearchParams(window.location.search);
  params.delete("page");
  return params;
}

const initialSearch = window.location.search;

// Metropolitan France: when most of the hubs are there, a few overseas ones
// (La Réunion, Guyane…) must not zoom the map out to the whole world.
const MAINLAND = L.latLngBounds([41.2, -5.6], [51.2, 9.7]);

function mainBounds(points) {
  const mainland = points.filter((point) => MAINLAND.contains(point));
  const chosen = mainland.length >= points.length / 2 && mainland.length < points.length ? mainland : points;
  return L.latLngBounds(chosen);
}

let firstLoad = true;

// ---------------------------------------------------------------- a quick preview
// Clustering ten thousand hubs takes a phone a second or two: meanwhile a grid of
// 60-pixel cells at the current zoom (one pass over the points) shows where they
// are, as count bubbles that nothing can focus; the real clusters replace it.
const PREVIEW_FROM = 2000;
const MARKER_SLICE = 2000;
const PREVIEW_CELL = 60;

function showPreview(points) {
  const layer = L.layerGroup().addTo(map);
  const draw = () => {
    const zoom = map.getZoom();
    const bounds = map.getBounds().pad(0.25);
    const cells = new Map();
    for (const point of points) {
      if (!bounds.contains(point)) continue;
      const { x, y } = map.project(point, zoom);
      const key = `${Math.floor(x / PREVIEW_CELL)},${Math.floor(y / PREVIEW_CELL)}`;
      const cell = cells.get(key);
      if (cell) {
        cell.count += 1;
        cell.x += x;
        cell.y += y;
      } else {
        cells.set(key, { count: 1, x, y });
      }
    }
    layer.clearLayers();
    for (const { count, x, y } of cells.values()) {
      const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      const icon = L.divIcon({
        html: `<div aria-hidden="true"><span>${count}</span></div>`,
        className: `marker-cluster marker-cluster-${size} marker-cluster--preview`,
        iconSize: L.point(40, 40),
      });
      layer.addLayer(L.marker(map.unproject([x / count, y / count], zoom), { icon, interactive: false, keyboard: false }));
    }
  };
  draw();
  map.on("moveend", draw);
  return {
    remove() {
      map.off("moveend", draw);
      layer.remove();
    },
  };
}


// Markers made in slices too (between them the page answers), then clustered
// in markercluster's own slices; with thousands of hubs a quick preview of the
// clusters at the current zoom shows meanwhile (map_preview.js).
async function addMarkers(list, points) {
  const preview = list.length >= PREVIEW_FROM ? showPreview(points) : null;
  // Painted before the work starts.
  if (preview) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const markers = [];
  for (let start = 0; start < list.length; start += MARKER_SLICE) {
    if (start) await new Promise((resolve) => setTimeout(resolve));
    for (const [offset, feature] of list.slice(start, start + MARKER_SLICE).entries()) {
      const marker = L.marker(points[start + offset], {
        icon: markerIcon(feature),
        title: feature.properties.name,
        alt: feature.properties.name,
        riseOnHover: true,
      });
      marker.feature = feature;
      markersById.set(feature.id, marker);
      markers.push(marker);
    }
  }
  if (markers.length) {
    await new Promise((resolve) => {
      clustered = resolve;
      cluster.addLayers(markers);
    });
    clustered = null;
  }
  preview?.remove();
}

async function load({ fit } = { fit: false }) {
  // Not ready while a new search loads: tests (and scripts) wait for its results.
  document.documentElement.dataset.mapReady = "false";
  explorer.setAttribute("aria-busy", "true");
  const query = currentQuery();
  // The first load asks for the URL the page preloaded (same string: the
  // browser reuses the download); later ones follow the filters.
  const url = loadedSearch === initialSearch ? config.geojsonInitialUrl : `${config.geojsonUrl}?${query}`;
  const response = await fetch(url);
  explorer.removeAttribute("aria-busy");
  if (!response.ok) {
    let message = gettext("Les lieux n'ont pas pu être chargés.");
    try {
      message = (await response.json()).message || message;
    } catch (error) {
      /* keep the generic message */
    }
    statusElement.replaceChildren(el("p", { class: "alert alert--error", role: "alert" }, message));
    document.documentElement.dataset.mapReady = "error";
    return;
  }
  const data = await response.json();
  await building; // a previous search still being clustered: it goes first
  features = data.features;
  cluster.clearLayers();
  markersById.clear();
  const points = features.map((feature) => L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]));

  const near = query.get("near");
  center = null;
  if (radiusCircle) {
    radiusCircle.remove();
    radiusCircle = null;
  }
  const nearMatch = near && /^(-?[\d.]+),(-?[\d.]+)$/.exec(near);
  if (nearMatch) {
    center = [Number(nearMatch[1]), Number(nearMatch[2])];
    const radius = Number(query.get("radius_km")) || 10;
    radiusCircle = L.circle(center, { radius: radius * 1000, color: "#1d3b8b", weight: 1, fillOpacity: 0.04, interactive: false }).addTo(map);
  } else if (features.length && features[0].properties.distance_km !== undefined) {
    center = map.getCenter();
  }
  if (fit && (radiusCircle || points.length)) {
    // No zoom animation on the first load: the list and the ready flag then
    // describe the final view, not the default one the map starts from.
    const animate = !firstLoad;
    const moved = new Promise((resolve) => {
      map.once("moveend", resolve);
      setTimeout(resolve, 1500); // should a view that does not change not say so
    });
    if (radiusCircle) {
      map.fitBounds(radiusCircle.getBounds(), { padding: [10, 10], animate });
    } else {
      map.fitBounds(mainBounds(points), { padding: [30, 30], maxZoom: 13, animate });
    }
    await moved;
  }
  firstLoad = false;
  building = addMarkers(features, points);
  await building;
  // The list of the view the map settled on.
  await renderList();
  // After a change of zoom the clusters of the new level replace the old ones with
  // a short animation (Leaflet.markercluster): the map is ready when it has ended,
  // so that what is on the map is what stays there.
  const markReady = () => {
    document.documentElement.dataset.mapReady = "true";
  };
  if (map.getPane("mapPane").classList.contains("leaflet-cluster-anim")) cluster.once("animationend", markReady);
  else markReady();
}

map.on("moveend", () => {
  writeHash();
  if (features.length || !firstLoad) renderList();
});

// ---------------------------------------------------------------- filters
// The "Intégrer cette carte" code follows the criteria chosen on the page.
function updateEmbedSnippet() {
  const link = document.getElementById("share-link");
  if (link) {
    const url = new URL(link.value);
    url.search = window.location.search;
    link.value = url.href;
  }
  const snippet = document.getElementById("embed-snippet");
  if (!snippet) return;
  const src = `${snippet.dataset.embedBase}${window.location.search}`;
  snippet.value = snippet.value.replace(/src="[^"]*"/, `src="${src.replace(/"/g, "&quot;")}"`);
}

// « Filtres (n) »: on a phone the criteria other than « Où ? » fold into one
// control that counts them (one per value, as hubs/templatetags/map_tags.py);
// on wider screens the fold is open and its control hidden (site.css).
const fold = document.getElementById("filters-fold");
const wide = window.matchMedia("(min-width: 900px)");
function followWidth() {
  if (fold && wide.matches) fold.open = true;
}

wide.addEventListener("change", followWidth);
followWidth();

function updateFilterCount() {
  const counter = fold?.querySelector(".filters__count");
  if (!counter) return;
  let count = 0;
  for (const field of fold.querySelectorAll("input[name], select[name]")) {
    if (field.type === "checkbox" || field.type === "radio") count += field.checked ? 1 : 0;
    else if (String(field.value).trim() !== "") count += 1;
  }
  counter.dataset.count = String(count);
  counter.textContent = count ? `(${count})` : "";
}

// « Partager cette carte »: buttons with command/commandfor open and close the
// dialog without a script; older browsers get the same from here.
if (!("command" in HTMLButtonElement.prototype)) {
  for (const button of document.querySelectorAll("button[commandfor]")) {
    const dialog = document.getElementById(button.getAttribute("commandfor"));
    button.addEventListener("click", () => (button.getAttribute("command") === "close" ? dialog?.close() : dialog?.showModal()));
  }
}

function applyForm() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim() !== "") params.append(name, value);
  }
  const search = params.toString();
  history.pushState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
  loadedSearch = window.location.search;
  updateEmbedSnippet();
  updateFilterCount();
  const errors = document.getElementById("filter-errors");
  if (errors) errors.remove();
  load({ fit: true });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  applyForm();
});
form.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox], select")) applyForm();
});
// Back/forward between filter states reloads; a same-page link such as the
// skip link ("#contenu") also fires popstate and must not.
let loadedSearch = window.location.search;
window.addEventListener("popstate", () => {
  if (window.location.search !== loadedSearch) window.location.reload();
});

const {
  place: placeInput,
  near: nearInput,
  territory: territoryInput,
} = setupPlaceField({ url: config.autocompleteUrl, onChange: applyForm });

const locateButton = document.getElementById("locate-me");
if ("geolocation" in navigator) {
  locateButton.hidden = false;
  locateButton.addEventListener("click", () => {
    locateButton.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        locateButton.disabled = false;
        nearInput.value = `${position.coords.latitude.toFixed(5)},${position.coords.longitude.toFixed(5)}`;
        territoryInput.value = "";
        placeInput.value = gettext("Ma position");
        applyForm();
      },
      () => {
        locateButton.disabled = false;
        statusElement.replaceChildren(
          el("p", { class: "alert alert--error", role: "alert" }, gettext("Votre position n'a pas pu être obtenue. Choisissez une commune dans « Où ? ».")),
        );
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 },
    );
  });
}

// ---------------------------------------------------------------- phone: map or list
function showView(view) {
  explorer.dataset.view = view;
  for (const button of document.querySelectorAll(".view-toggle__button")) {
    button.setAttribute("aria-pressed", String(button.dataset.show === view));
  }
  if (view === "map") map.invalidateSize();
}
for (const button of document.querySelectorAll(".view-toggle__button")) {
  button.addEventListener("click", () => showView(button.dataset.show));
}

load({ fit: !initialView });
if (eventsToggle) setEventsLayer(eventsLayer.on);
