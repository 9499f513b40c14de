// Popups and the keyboard: markers and clusters are buttons (Enter, Space),
// Escape closes a popup or folds a spread-out cluster, the focus goes where the
// eye goes.
import { gettext } from "../i18n.js";
import { eventsLayer } from "./events.js";
import { cluster } from "./layers.js";
import { showView } from "./phone.js";
import { map } from "./state.js";

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

// « Voir sur la carte » in the list: the popup's close gives the focus back to it.
export function setPopupOpener(opener) {
  popupOpener = opener;
}
