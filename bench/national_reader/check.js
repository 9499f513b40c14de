// Reads our national-schema JSON export back with the national cartography's own library
// (an independent implementation): node check.js <export.json>. See bench/README.md.
const { fromSchemaLieuDeMediationNumerique } = require("@gouvfr-anct/lieux-de-mediation-numerique");
const items = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
let ok = 0; const errors = {};
for (const item of items) {
  try { fromSchemaLieuDeMediationNumerique(item); ok++; }
  catch (e) { const k = (e.constructor && e.constructor.name) + ": " + String(e.message).slice(0, 120); errors[k] = (errors[k] || 0) + 1; }
}
console.log(`${items.length} records, ${ok} read without error`);
console.log(errors);
