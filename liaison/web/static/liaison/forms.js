// Data entry helpers: counterpart suggestions while typing, and "add a row" for formsets.
// Without this script the forms still work: a counterpart can be typed by its exact name.
(function () {
  "use strict";

  const list = document.getElementById("actor-suggestions");
  const endpoint = "/actors/suggest/";
  let timer = null;
  let asked = "";

  async function suggest(input) {
    const q = input.value.trim();
    if (q.length < 2 || q === asked || /\[\d+\]\s*$/.test(q)) return;
    asked = q;
    const response = await fetch(`${endpoint}?q=${encodeURIComponent(q)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok || !list) return;
    const data = await response.json();
    list.replaceChildren(...data.results.map((row) => {
      const option = document.createElement("option");
      option.value = row.value;
      option.label = row.detail;
      return option;
    }));
  }

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.dataset.suggest !== "actor") return;
    clearTimeout(timer);
    timer = setTimeout(() => suggest(input), 150);
  });

  // Formsets: clone the empty row kept in a <template>, numbering it as Django expects.
  document.querySelectorAll("[data-formset]").forEach((fieldset) => {
    const prefix = fieldset.dataset.formset;
    const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = fieldset.querySelector("template");
    const body = fieldset.querySelector("tbody");
    const button = fieldset.querySelector("[data-add-row]");
    if (!total || !template || !body || !button) return;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      const holder = document.createElement("tbody");
      holder.innerHTML = html;
      const row = holder.firstElementChild;
      body.appendChild(row);
      total.value = String(index + 1);
      const first = row.querySelector("input, select");
      if (first) first.focus();
    });
  });
})();
