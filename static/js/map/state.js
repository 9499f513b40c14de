// The home map's shared state: its settings (#map-config), the page's elements,
// the Leaflet map, what the last search found; the view in the URL's hash
// (#map=zoom/lat/lng&layers=events), the filters in its query string.
import { createMap } from "../leaflet_base.js";

// Before the map is made: the page's CSS shows the map only with a script.
document.documentElement.classList.add("js");

export const config = JSON.parse(document.getElementById("map-config").textContent);
export const kinds = new Map(config.kinds.map((kind) => [kind.slug, kind]));
export const explorer = document.getElementById("explorer");
export const form = document.getElementById("hub-filters");
export const listElement = document.getElementById("hub-list");
export const statusElement = document.getElementById("results-status");
export const serverPagination = document.getElementById("server-pagination");

export const map = createMap("map", config);
// Events get a pane under the hubs' (their markers never cover a hub).
map.createPane("events").style.zIndex = "590";

export const state = {
  features: [], // the GeoJSON features of the last search
  center: null, // [lat, lng] of a near search
  eventsOn: /(^#|&)layers=([^&]*,)?events(,|&|$)/.test(window.location.hash),
  loadedSearch: window.location.search, // the query string the map shows
};
export const initialSearch = window.location.search;
export const markersById = new Map(); // hub id → its marker

// data-map-ready, data-list-ready… on <html>: what tests and scripts wait for.
export function setFlag(name, value) {
  document.documentElement.dataset[name] = value;
}

export function el(tag, attributes = {}, ...children) {
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

export function viewFromHash() {
  const match = /map=(\d+)\/(-?[\d.]+)\/(-?[\d.]+)/.exec(window.location.hash);
  if (!match) return null;
  const [zoom, lat, lng] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (![zoom, lat, lng].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    return null;
  }
  return { zoom, center: [lat, lng] };
}

export function writeHash() {
  const c = map.getCenter();
  const layers = state.eventsOn ? "&layers=events" : "";
  const hash = `#map=${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}${layers}`;
  history.replaceState(history.state, "", `${window.location.pathname}${window.location.search}${hash}`);
}

// The filters of the page, without its page number.
export function currentQuery() {
  const params = new URLSearchParams(window.location.search);
  params.delete("page");
  return params;
}
