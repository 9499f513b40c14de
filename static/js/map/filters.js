// The filters: a change searches again (the URL keeps them), « Filtres (n) » on a
// phone, « Autour de moi », « Partager cette carte ».
import { setupFiltersFold } from "../folds.js";
import { gettext } from "../i18n.js";
import { setupPlaceField } from "../place_combobox.js";
import { load } from "./search.js";
import { config, el, form, state, statusElement } from "./state.js";

// The "Intégrer cette carte" code follows the criteria chosen on the page.
function updateEmbedSnippet() {
  const link = document.getElementById("share-link");
  if (link) {
    const url = new URL(link.value);
    url.search = window.location.search;
    link.value = url.href;
  }
  const snippet = document.getElementById("embed-snippet");
  if (!snippet) return;
  const src = `${snippet.dataset.embedBase}${window.location.search}`;
  snippet.value = snippet.value.replace(/src="[^"]*"/, `src="${src.replace(/"/g, "&quot;")}"`);
}

const updateFilterCount = setupFiltersFold(document.getElementById("filters-fold"));

// « Partager cette carte »: buttons with command/commandfor open and close the
// dialog without a script; older browsers get the same from here.
if (!("command" in HTMLButtonElement.prototype)) {
  for (const button of document.querySelectorAll("button[commandfor]")) {
    const dialog = document.getElementById(button.getAttribute("commandfor"));
    button.addEventListener("click", () => (button.getAttribute("command") === "close" ? dialog?.close() : dialog?.showModal()));
  }
}

function applyForm() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim() !== "") params.append(name, value);
  }
  const search = params.toString();
  history.pushState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
  state.loadedSearch = window.location.search;
  updateEmbedSnippet();
  updateFilterCount();
  const errors = document.getElementById("filter-errors");
  if (errors) errors.remove();
  load({ fit: true });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  applyForm();
});
form.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox], select")) applyForm();
});
// Back/forward between filter states reloads; a same-page link such as the
// skip link ("#contenu") also fires popstate and must not.
window.addEventListener("popstate", () => {
  if (window.location.search !== state.loadedSearch) window.location.reload();
});

const {
  place: placeInput,
  near: nearInput,
  territory: territoryInput,
} = setupPlaceField({ url: config.autocompleteUrl, onChange: applyForm });

const locateButton = document.getElementById("locate-me");
if ("geolocation" in navigator) {
  locateButton.hidden = false;
  locateButton.addEventListener("click", () => {
    locateButton.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        locateButton.disabled = false;
        nearInput.value = `${position.coords.latitude.toFixed(5)},${position.coords.longitude.toFixed(5)}`;
        territoryInput.value = "";
        placeInput.value = gettext("Ma position");
        applyForm();
      },
      () => {
        locateButton.disabled = false;
        statusElement.replaceChildren(
          el("p", { class: "alert alert--error", role: "alert" }, gettext("Votre position n'a pas pu être obtenue. Choisissez une commune dans « Où ? ».")),
        );
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 },
    );
  });
}
