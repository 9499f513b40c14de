// Folds that only fold on a phone: open on wider screens, where their control is
// hidden (site.css, events.css), here too for browsers without ::details-content.
const wide = window.matchMedia("(min-width: 900px)");

export function openWhenWide(details) {
  const follow = () => {
    if (wide.matches) details.open = true;
  };
  wide.addEventListener("change", follow);
  follow();
}

// « Filtres (n) » (the map, the list, the agenda): the criteria other than « Où ? »
// under one control that counts them (one per value, as
// places/templatetags/filter_tags.py counts them). Returns a function that
// recounts after a change made in place (the map searches without reloading).
export function setupFiltersFold(fold) {
  if (!fold) return () => {};
  openWhenWide(fold);
  const counter = fold.querySelector(".filters__count");
  return function updateCount() {
    if (!counter) return;
    let count = 0;
    for (const field of fold.querySelectorAll("input[name], select[name]")) {
      if (field.type === "checkbox" || field.type === "radio") count += field.checked ? 1 : 0;
      else if (String(field.value).trim() !== "") count += 1;
    }
    counter.dataset.count = String(count);
    counter.textContent = count ? `(${count})` : "";
  };
}
