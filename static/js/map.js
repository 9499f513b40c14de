// Home page: the map of hubs, its filters and the list that follows the map view.
// Boots from the JSON settings in #map-config; state lives in the URL (filters in
// the query string, view in the hash: #map=zoom/lat/lng). One module a concern,
// under map/: state, layers (hubs), events, popups, keyboard, list, search,
// filters, phone.
import { eventsToggle, setEventsLayer } from "./map/events.js";
import "./map/filters.js";
import "./map/keyboard.js";
import { load } from "./map/search.js";
import { config, map, state, viewFromHash } from "./map/state.js";

const initialView = viewFromHash();
if (initialView) {
  map.setView(initialView.center, initialView.zoom);
} else {
  map.setView(config.center, config.zoom);
}

load({ fit: !initialView });
if (eventsToggle) setEventsLayer(state.eventsOn);
