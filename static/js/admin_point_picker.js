// Admin point picker: a Leaflet map that fills the latitude/longitude inputs.
// A module (hubs/widgets.py loads it with type="module"): the map is made as the
// site's others (leaflet_base.js); the admin's change form loads Django's
// JavaScript catalog (admin:jsi18n) first, which i18n.js reads.
import { gettext } from "./i18n.js";
import { createMap } from "./leaflet_base.js";

function round(value) {
  return Math.round(value * 1e6) / 1e6;
}

function setup(container) {
  const config = JSON.parse(container.dataset.config);
  const latInput = document.getElementById(config.latInput);
  const lngInput = document.getElementById(config.lngInput);
  if (!latInput || !lngInput || !window.L) return;

  const map = createMap(container.querySelector(".point-picker__map"), config);
  let marker = null;

  function current() {
    const lat = parseFloat(latInput.value);
    const lng = parseFloat(lngInput.value);
    return Number.isFinite(lat) && Number.isFinite(lng) ? [lat, lng] : null;
  }

  function place(latlng, fromInputs) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: gettext("Position du lieu"), alt: gettext("Position du lieu") }).addTo(map);
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
  setupLocate(container, config, function (lat, lng, source) {
    place([lat, lng], false);
    map.setView([lat, lng], source === "ban" ? 17 : 14);
  });
  container.dataset.ready = "true";
}

// "Localiser d'après l'adresse": asks the geocoding view with the form's
// address, postcode and commune; the answer moves the marker.
function setupLocate(container, config, moveTo) {
  const button = container.querySelector(".point-picker__locate");
  const status = container.querySelector(".point-picker__status");
  if (!button || !status || !config.geocodeUrl) return;
  button.hidden = false;
  let busy = false;

  function field(id) {
    const input = id ? document.getElementById(id) : null;
    return input ? input.value.trim() : "";
  }

  function say(message, kind) {
    status.textContent = message;
    status.dataset.kind = kind;
  }

  button.addEventListener("click", function () {
    if (busy) return;
    const commune = field(config.communeInput);
    if (!commune) {
      say(
        field(config.hubInput)
          ? gettext("L'événement se tient au lieu organisateur. Pour le placer ailleurs, choisissez d'abord une commune, puis localisez l'adresse.")
          : gettext("Choisissez d'abord une commune : l'adresse y est cherchée."),
        "error"
      );
      return;
    }
    const params = new URLSearchParams({ address: field(config.addressInput), commune: commune });
    const postcode = field(config.postcodeInput);
    if (postcode) params.set("postcode", postcode);

    busy = true;
    button.setAttribute("aria-disabled", "true");
    say(gettext("Recherche de l'adresse…"), "busy");
    fetch(config.geocodeUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { ok: response.ok, body: body };
          });
      })
      .then(function (answer) {
        const body = answer.body || {};
        if (!answer.ok) {
          say(body.message || gettext("La localisation a échoué : placez le marqueur sur la carte."), "error");
          return;
        }
        if (Number.isFinite(body.lat) && Number.isFinite(body.lng)) {
          moveTo(body.lat, body.lng, body.source);
        }
        say(body.message || "", body.source === "ban" ? "found" : "fallback");
        container.dataset.located = body.source || "";
      })
      .catch(function () {
        say(gettext("Service de localisation injoignable : placez le marqueur sur la carte."), "error");
      })
      .finally(function () {
        busy = false;
        button.removeAttribute("aria-disabled");
      });
  });
}

function init() {
  document.querySelectorAll(".point-picker[data-config]").forEach(setup);
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", init);
} else {
  init();
}
