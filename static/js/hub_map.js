// The small map on a hub page: one marker, no interaction needed.
import { gettext } from "./i18n.js";

const config = JSON.parse(document.getElementById("hub-map-config").textContent);
const element = document.getElementById("hub-map");
if (element && window.L) {
  const map = L.map(element, { scrollWheelZoom: false, maxZoom: config.maxZoom, keyboard: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: gettext("Zoomer"), zoomOutTitle: gettext("Dézoomer") }).addTo(map);
  L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: config.maxZoom }).addTo(map);
  map.setView(config.center, config.zoom);
  L.marker(config.center, { title: config.label, alt: config.label, keyboard: false }).addTo(map);
  element.dataset.ready = "true";
}
