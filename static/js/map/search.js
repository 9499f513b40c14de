// A search: the GeoJSON of the filters in the URL, its markers, the circle of a
// search around a point, the view fitted to them, the list; data-map-ready says
// "false" from the start of a search until its results are drawn.
import { gettext } from "../i18n.js";
import { addMarkers, cluster, mainBounds } from "./layers.js";
import { renderList } from "./list.js";
import { config, currentQuery, el, explorer, initialSearch, map, markersById, setFlag, state, statusElement, writeHash } from "./state.js";

let firstLoad = true;
let building = Promise.resolve(); // the markers of the last search, being clustered
let radiusCircle = null;

export async function load({ fit } = { fit: false }) {
  // Not ready while a new search loads: tests (and scripts) wait for its results.
  setFlag("mapReady", "false");
  explorer.setAttribute("aria-busy", "true");
  const query = currentQuery();
  // The first load asks for the URL the page preloaded (same string: the
  // browser reuses the download); later ones follow the filters.
  const url = state.loadedSearch === initialSearch ? config.geojsonInitialUrl : `${config.geojsonUrl}?${query}`;
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
    setFlag("mapReady", "error");
    return;
  }
  const data = await response.json();
  await building; // a previous search still being clustered: it goes first
  state.features = data.features;
  cluster.clearLayers();
  markersById.clear();
  const points = state.features.map((feature) => L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]));

  const near = query.get("near");
  state.center = null;
  if (radiusCircle) {
    radiusCircle.remove();
    radiusCircle = null;
  }
  const nearMatch = near && /^(-?[\d.]+),(-?[\d.]+)$/.exec(near);
  if (nearMatch) {
    state.center = [Number(nearMatch[1]), Number(nearMatch[2])];
    const radius = Number(query.get("radius_km")) || 10;
    radiusCircle = L.circle(state.center, { radius: radius * 1000, color: "#1d3b8b", weight: 1, fillOpacity: 0.04, interactive: false }).addTo(map);
  } else if (state.features.length && state.features[0].properties.distance_km !== undefined) {
    state.center = map.getCenter();
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
  building = addMarkers(state.features, points);
  await building;
  // The list of the view the map settled on.
  await renderList();
  // After a change of zoom the clusters of the new level replace the old ones with
  // a short animation (Leaflet.markercluster): the map is ready when it has ended,
  // so that what is on the map is what stays there.
  const markReady = () => setFlag("mapReady", "true");
  if (map.getPane("mapPane").classList.contains("leaflet-cluster-anim")) cluster.once("animationend", markReady);
  else markReady();
}

map.on("moveend", () => {
  writeHash();
  if (state.features.length || !firstLoad) renderList();
});
