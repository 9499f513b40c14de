// « Copier l’adresse » of the calendar subscription blocks (templates/events/_subscribe.html).
// Without JavaScript the button stays hidden and the address waits in a read-only
// field the visitor can select. The result is said in the block's live region.
import { openWhenWide } from "./folds.js";
import { gettext } from "./i18n.js";

async function copy(input) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch {
      // Refused (permission, focus): fall back on the selection below.
    }
  }
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

function say(status, message) {
  // Emptied first: the same message twice in a row is announced twice.
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}

for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const input = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!input || !status || button.dataset.copyReady) continue;
  button.dataset.copyReady = "true";
  input.addEventListener("focus", () => input.select());
  button.addEventListener("click", async () => {
    const copied = await copy(input);
    if (copied) {
      say(status, gettext("Adresse copiée : collez-la dans votre agenda."));
    } else {
      input.focus();
      input.select();
      say(status, gettext("L’adresse est sélectionnée : copiez-la (Ctrl+C, ou ⌘+C sur Mac)."));
    }
  });
  button.hidden = false;
}
// The other ways to subscribe fold on a phone only (_subscribe.html).
for (const fold of document.querySelectorAll(".subscribe__fold")) openWhenWide(fold);
document.documentElement.dataset.subscribeReady = "true";
