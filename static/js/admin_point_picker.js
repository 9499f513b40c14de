// Admin point picker: a Leaflet map that fills the latitude/longitude inputs.
(function () {
  "use strict";

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function setup(container) {
    const config = JSON.parse(container.dataset.config);
    const latInput = document.getElementById(config.latInput);
    const lngInput = document.getElementById(config.lngInput);
    if (!latInput || !lngInput || !window.L) return;

    const map = L.map(container.querySelector(".point-picker__map"), {
      maxZoom: config.maxZoom,
      zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: config.maxZoom }).addTo(map);
    let marker = null;

    function current() {
      const lat = parseFloat(latInput.value);
      const lng = parseFloat(lngInput.value);
      return Number.isFinite(lat) && Number.isFinite(lng) ? [lat, lng] : null;
    }

    function place(latlng, fromInputs) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, autoPan: true, title: "Position du lieu", alt: "Position du lieu" }).addTo(map);
        marker.on("dragend", function () {
          const p = marker.getLatLng();
          write(p.lat, p.lng);
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (!fromInputs) write(latlng[0] ?? latlng.lat, latlng[1] ?? latlng.lng);
    }

    function write(lat, lng) {
      latInput.value = round(lat);
      lngInput.value = round(lng);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      container.dataset.picked = "true";
    }

    const start = current();
    if (start) {
      map.setView(start, 15);
      place(start, true);
    } else {
      map.setView(config.center, config.zoom);
    }
    map.on("click", function (event) {
      place([event.latlng.lat, event.latlng.lng], false);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        const point = current();
        if (point) {
          place(point, true);
          map.panTo(point);
        }
      });
    });
    container.dataset.ready = "true";
  }

  function init() {
    document.querySelectorAll(".point-picker[data-config]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
