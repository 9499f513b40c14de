// Funding dashboard: charts drawn from the same figures as the tables beside them,
// the territory autocomplete and the print button.
import { dateLocale, gettext } from "./i18n.js";
import { setupPlaceCombobox } from "./place_combobox.js";

const BRAND = "#1d3b8b";
const euros = new Intl.NumberFormat(dateLocale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

function barChart(canvasId, labels, values, horizontal) {
  const canvas = document.getElementById(canvasId);
  if (!canvas || !window.Chart || labels.length === 0) {
    if (canvas) canvas.closest(".chart").hidden = true;
    return;
  }
  charts.push(new window.Chart(canvas, {
    type: "bar",
    data: { labels, datasets: [{ label: gettext("Montant connu"), data: values, backgroundColor: BRAND, borderRadius: 4 }] },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => euros.format(item.raw) } },
      },
      scales: {
        [horizontal ? "x" : "y"]: { ticks: { callback: (value) => euros.format(value) }, beginAtZero: true },
      },
    },
  }));
}

// Print: Chart.js sizes a canvas for the screen; at print width (A4, one column)
// each chart is redrawn to its box, then back to the screen's after printing.
const charts = [];
function fitChartsToTheirBoxes() {
  for (const chart of charts) {
    const box = chart.canvas.parentElement;
    chart.resize(box.clientWidth, box.clientHeight);
  }
}
window.addEventListener("beforeprint", fitChartsToTheirBoxes);
window.addEventListener("afterprint", fitChartsToTheirBoxes);
window.matchMedia("print").addEventListener("change", fitChartsToTheirBoxes);

const dataElement = document.getElementById("funding-charts");
if (dataElement) {
  const data = JSON.parse(dataElement.textContent);
  barChart("chart-categories", data.categoryLabels || [], data.categoryTotals || [], true);
  barChart("chart-years", data.yearLabels || [], data.yearTotals || [], false);
}

// Coverage map: a circle per territory, its area proportional to the population
// living far from a hub (the table beside it holds the same figures).
const coverageElement = document.getElementById("coverage-map");
const coverageData = document.getElementById("coverage-map-data");
if (coverageElement && coverageData && window.L) {
  const config = JSON.parse(coverageData.textContent);
  const map = L.map(coverageElement, { scrollWheelZoom: false, maxZoom: config.maxZoom, zoomControl: false });
  L.control.zoom({ zoomInTitle: gettext("Zoomer"), zoomOutTitle: gettext("Dézoomer") }).addTo(map);
  L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: config.maxZoom }).addTo(map);
  const largest = Math.max(1, ...config.points.map((point) => point.far));
  const circles = L.featureGroup();
  for (const point of config.points) {
    const radius = 4 + 30 * Math.sqrt(point.far / largest);
    L.circleMarker([point.lat, point.lng], { radius, color: "#b42318", weight: 1, fillOpacity: 0.35 })
      .bindTooltip(point.label)
      .addTo(circles);
  }
  circles.addTo(map);
  map.fitBounds(circles.getBounds(), { padding: [24, 24], maxZoom: 11 });
  coverageElement.dataset.circles = String(config.points.length);
}

const labelInput = document.getElementById("id_territory_label");
const territoryInput = document.getElementById("id_territory");
if (labelInput && territoryInput) {
  setupPlaceCombobox({
    input: labelInput,
    list: document.getElementById("territory-suggestions"),
    url: labelInput.dataset.autocompleteUrl,
    onPick(item) {
      territoryInput.value = item.code;
      labelInput.form.requestSubmit();
    },
    onClear() {
      territoryInput.value = "";
    },
  });
}

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

// A table wider than its box scrolls sideways: it takes the keyboard focus
// (arrow keys then scroll it) and is named by its caption (WCAG 2.1.1).
function scrollableTablesFocusable() {
  for (const box of document.querySelectorAll(".table-scroll")) {
    const caption = box.querySelector("caption");
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (caption) box.setAttribute("aria-label", caption.textContent.trim());
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
scrollableTablesFocusable();
window.addEventListener("resize", scrollableTablesFocusable);
document.documentElement.dataset.chartsReady = "true";
