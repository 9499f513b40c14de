// Agenda and month view: the "Où ?" autocomplete, and filters that apply as
// soon as a box is ticked. Without JavaScript the form works as a plain GET form.
import { setupFiltersFold } from "./folds.js";
import { setupPlaceField } from "./place_combobox.js";

document.documentElement.classList.add("js");
const config = JSON.parse(document.getElementById("agenda-config").textContent);
const form = document.getElementById("event-filters");
setupFiltersFold(document.getElementById("filters-fold"));

function submit() {
  // Leave empty fields out of the URL so that shared links stay readable.
  for (const field of form.elements) {
    if (field.name && field.type !== "checkbox" && String(field.value).trim() === "") field.disabled = true;
  }
  form.submit();
}

setupPlaceField({ url: config.autocompleteUrl, onChange: submit });

form.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox], select")) submit();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});
document.documentElement.dataset.agendaReady = "true";
