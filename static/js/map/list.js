// The list beside the map: the cards of the hubs in the map's view.
import { format, gettext, ngettext } from "../i18n.js";
import { setPopupOpener } from "./keyboard.js";
import { cluster } from "./layers.js";
import { showView } from "./phone.js";
import { openHubPopup } from "./popups.js";
import { config, currentQuery, el, listElement, map, markersById, serverPagination, setFlag, state, statusElement } from "./state.js";

// The list holds the cards of the hubs in the map's view, drawn by the server
// (/hubs/cards/: the template of the list pages, so a card shows the same fields
// whoever draws it): the page's filters, plus the map's area when some of the
// hubs found are out of view. A page at a time; « Afficher les lieux suivants »
// appends the next one.
function countInView() {
  const bounds = map.getBounds();
  return state.features.filter((f) => bounds.contains(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]))).length;
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

export function renderList() {
  const count = countInView();
  // None of the hubs found in view: nothing to ask for.
  const key = state.features.length && !count ? "none" : currentQuery().toString();
  const area = key !== "none" && count < state.features.length ? viewArea() : null;
  const fullKey = area ? `${key}${key ? "&" : ""}bbox=${area}` : key;
  if (fullKey !== listKey) {
    listKey = fullKey;
    listCount = count;
    listDrawing = drawList(fullKey, count);
  }
  return listDrawing;
}

async function drawList(key, count) {
  setFlag("listReady", "false");
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
      setFlag("listReady", "error");
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
  setFlag("listReady", "true");
}

function renderStatus(count) {
  const shown = listElement.querySelectorAll(".hub-card").length;
  let message;
  if (state.features.length === 0) {
    message = gettext("Aucun lieu ne correspond à ces critères.");
  } else if (count === 0) {
    message = format(
      ngettext(
        "Le lieu trouvé n'est pas dans cette zone de la carte. Dézoomez pour le voir.",
        "Aucun des %(count)s lieux trouvés n'est dans cette zone de la carte. Dézoomez pour les voir.",
        state.features.length,
      ),
      { count: state.features.length },
    );
  } else {
    message = format(ngettext("%(count)s lieu dans cette zone de la carte", "%(count)s lieux dans cette zone de la carte", count), { count });
    if (count < state.features.length) message += format(gettext(" (sur %(total)s trouvés)"), { total: state.features.length });
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

// « Voir sur la carte »: the hub's marker, out of its cluster, with its popup.
listElement.addEventListener("click", (event) => {
  const button = event.target.closest("[data-show-on-map]");
  if (!button) return;
  const id = button.dataset.showOnMap;
  const marker = markersById.get(Number(id));
  if (!marker) return;
  showView("map");
  cluster.zoomToShowLayer(marker, () => {
    setPopupOpener(() => listElement.querySelector(`[data-show-on-map="${id}"]`));
    openHubPopup(marker);
    marker.getPopup().getElement()?.querySelector(".leaflet-popup-content a[href]")?.focus();
  });
});
