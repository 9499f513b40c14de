// On a phone the map and the list take turns (« Carte » / « Liste »).
import { explorer, map } from "./state.js";

export function showView(view) {
  explorer.dataset.view = view;
  for (const button of document.querySelectorAll(".view-toggle__button")) {
    button.setAttribute("aria-pressed", String(button.dataset.show === view));
  }
  if (view === "map") map.invalidateSize();
}
for (const button of document.querySelectorAll(".view-toggle__button")) {
  button.addEventListener("click", () => showView(button.dataset.show));
}
