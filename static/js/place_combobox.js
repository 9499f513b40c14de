// "Où ?" box: an ARIA 1.2 combobox listing communes and territories as you type.
export function setupPlaceCombobox({ input, list, url, onPick, onClear }) {
  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(index) {
    const item = items[index];
    if (!item) return;
    input.value = item.label;
    close();
    onPick(item);
  }

  function render() {
    list.replaceChildren();
    items.forEach((item, index) => {
      const option = document.createElement("li");
      option.id = `place-option-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "combobox__option";
      const name = document.createElement("span");
      name.textContent = item.label;
      const context = document.createElement("small");
      context.textContent = item.context;
      option.append(name, " ", context);
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => pick(index));
      list.append(option);
    });
    const open = items.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    active = -1;
  }

  async function fetchSuggestions(text) {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, { signal: controller.signal });
      if (!response.ok) return;
      items = (await response.json()).results;
      render();
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    onClear();
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      items = [];
      close();
      return;
    }
    timer = setTimeout(() => fetchSuggestions(text), 150);
  });

  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

// The "Où ?" field of components/place_field.html: a commune picked from the
// list searches around its point (near), a larger territory searches inside it.
export function setupPlaceField({ url, onChange }) {
  const place = document.getElementById("id_place");
  const near = document.getElementById("id_near");
  const territory = document.getElementById("id_territory");
  setupPlaceCombobox({
    input: place,
    list: document.getElementById("place-suggestions"),
    url,
    onPick(item) {
      if (item.type === "commune" && item.lat !== null) {
        near.value = `${item.lat},${item.lng}`;
        territory.value = "";
      } else {
        territory.value = item.code;
        near.value = "";
      }
      onChange();
    },
    onClear() {
      near.value = "";
      territory.value = "";
    },
  });
  return { place, near, territory };
}
