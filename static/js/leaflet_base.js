// What every Leaflet map of the site shares: the zoom buttons with translated
// titles, Leaflet's credit as a plain link (its own carries an English title)
// and the configured tiles. Used by the home map, the hub page's map and the
// admin's point picker; ``config`` is web.maps.map_settings() as JSON.
import { gettext } from "./i18n.js";

export function createMap(element, config, options = {}) {
  const map = L.map(element, { minZoom: config.minZoom, maxZoom: config.maxZoom, zoomControl: false, ...options });
  L.control.zoom({ zoomInTitle: gettext("Zoomer"), zoomOutTitle: gettext("Dézoomer") }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" hreflang="en">Leaflet</a>');
  L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: config.maxZoom }).addTo(map);
  return map;
}
