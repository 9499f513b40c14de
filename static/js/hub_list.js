// The list of hubs: « Filtres (n) » folds on a phone only (folds.js), also in
// browsers without ::details-content. Without JavaScript the form works as a plain
// GET form, its fold closed on every screen.
import { setupFiltersFold } from "./folds.js";

setupFiltersFold(document.getElementById("filters-fold"));
