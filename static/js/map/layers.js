// The hubs' layer: markers coloured by their first kind, clusters that are
// buttons, a preview while thousands of hubs are being clustered. (The legend
// that explains them is the page's own HTML: templates/hubs/map.html.)
import { format, ngettext } from "../i18n.js";
import { el, kinds, map, markersById } from "./state.js";

let clustered = null; // resolves addMarkers() when markercluster has placed them all

// A cluster is a button (Enter zooms in): its name says what it holds.
export function clusterIcon(group, label, extraClass = "", anchor = null) {
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

// Hubs cluster up to the last zoom level: hubs at one address (or a few metres
// apart) stay one cluster, which spreads them out (spiderfy) on a click, a tap,
// Enter or Space at whatever zoom they would still overlap (issue 16).
// Ten thousand hubs are clustered in slices of about 60 ms, one after the other:
// no task long enough to stall a phone's pointer (markercluster's default slices
// are 200 ms, 50 ms apart).
export const cluster = L.markerClusterGroup({
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

// Metropolitan France: when most of the hubs are there, a few overseas ones
// (La Réunion, Guyane…) must not zoom the map out to the whole world.
const MAINLAND = L.latLngBounds([41.2, -5.6], [51.2, 9.7]);

export function mainBounds(points) {
  const mainland = points.filter((point) => MAINLAND.contains(point));
  const chosen = mainland.length >= points.length / 2 && mainland.length < points.length ? mainland : points;
  return L.latLngBounds(chosen);
}

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
// clusters at the current zoom shows meanwhile.
export async function addMarkers(list, points) {
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
