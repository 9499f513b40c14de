// The small map on a hub page: one marker, no interaction needed.
import { createMap } from "./leaflet_base.js";

const config = JSON.parse(document.getElementById("hub-map-config").textContent);
const element = document.getElementById("hub-map");
if (element && window.L) {
  const map = createMap(element, config, { scrollWheelZoom: false, keyboard: false });
  map.setView(config.center, config.zoom);
  L.marker(config.center, { title: config.label, alt: config.label, keyboard: false }).addTo(map);
  element.dataset.ready = "true";
}
