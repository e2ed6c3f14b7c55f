// The review queue's keys: j/k move between items, a accepts, r rejects, e edits, m merges.
// Each key presses the button or follows the link marked data-key in the current item, so the
// page works the same without this script.
(function () {
  "use strict";
  const list = document.querySelector("[data-review-list]");
  if (!list) return;
  const items = Array.from(list.querySelectorAll("[data-review-item]"));
  if (!items.length) return;
  let current = 0;
  const wanted = list.dataset.focus;
  if (wanted) {
    const index = items.findIndex((item) => item.dataset.pk === wanted);
    if (index >= 0) current = index;
  }

  function select(index, scroll) {
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((item, i) => item.classList.toggle("current", i === current));
    const item = items[current];
    item.focus({ preventScroll: true });
    if (scroll) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // After a decision the item leaves the queue: remember which one to show next.
  items.forEach((item, i) => {
    item.querySelectorAll("form").forEach((form) => {
      form.addEventListener("submit", () => {
        const field = form.querySelector("input[name=focus]");
        const after = items[i + 1] || items[i - 1];
        if (field && after) field.value = after.dataset.pk;
      });
    });
    item.addEventListener("click", () => select(i, false));
  });

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      select(current + (key === "j" ? 1 : -1), true);
      return;
    }
    const control = items[current].querySelector(`[data-key="${key}"]`);
    if (!control) return;
    event.preventDefault();
    if (control instanceof HTMLButtonElement && control.form) {
      control.form.requestSubmit(control);
    } else {
      control.click();
    }
  });

  select(current, Boolean(wanted));
})();
