// The network drawing: pan by dragging, zoom with the wheel or the buttons, and on hover
// light up a counterpart with its partners. The SVG works without this script (links and titles).
(function () {
  "use strict";
  const svg = document.getElementById("network");
  if (!svg) return;
  const start = svg.viewBox.baseVal;
  const home = { x: start.x, y: start.y, w: start.width, h: start.height };
  let view = Object.assign({}, home);

  function show() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  }

  // Where a screen point falls in the drawing's coordinates.
  function toDrawing(clientX, clientY) {
    const box = svg.getBoundingClientRect();
    return {
      x: view.x + ((clientX - box.left) / box.width) * view.w,
      y: view.y + ((clientY - box.top) / box.height) * view.h,
    };
  }

  function zoom(factor, centre) {
    const w = Math.min(home.w * 4, Math.max(home.w / 12, view.w * factor));
    const scale = w / view.w;
    view = {
      x: centre.x - (centre.x - view.x) * scale,
      y: centre.y - (centre.y - view.y) * scale,
      w: w,
      h: view.h * scale,
    };
    show();
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, toDrawing(event.clientX, event.clientY));
  }, { passive: false });

  // Dragging pans; a drag that ends on a node must not open it.
  let drag = null;
  let moved = false;
  svg.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
    moved = false;
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!moved) svg.setPointerCapture(event.pointerId);
    moved = true;
    const box = svg.getBoundingClientRect();
    view.x = drag.view.x - (dx / box.width) * view.w;
    view.y = drag.view.y - (dy / box.height) * view.h;
    show();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("click", function (event) {
    if (moved) { event.preventDefault(); moved = false; }
  }, true);

  const bar = document.querySelector(".zoombar");
  if (bar) {
    bar.hidden = false;
    bar.addEventListener("click", function (event) {
      const which = event.target.getAttribute("data-zoom");
      const middle = { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      if (which === "in") zoom(1 / 1.3, middle);
      if (which === "out") zoom(1.3, middle);
      if (which === "reset") { view = Object.assign({}, home); show(); }
    });
  }

  // Hover: the node, its partners and their ties stay bright, the rest fade.
  const partners = new Map();
  const lines = svg.querySelectorAll(".edges line");
  lines.forEach(function (line) {
    const a = line.dataset.a;
    const b = line.dataset.b;
    if (!partners.has(a)) partners.set(a, new Set());
    if (!partners.has(b)) partners.set(b, new Set());
    partners.get(a).add(b);
    partners.get(b).add(a);
  });
  const nodes = svg.querySelectorAll(".nodes .node");
  function light(id) {
    const near = partners.get(id) || new Set();
    svg.classList.add("focused");
    nodes.forEach(function (node) {
      const on = node.dataset.id === id || near.has(node.dataset.id);
      node.classList.toggle("lit", on);
    });
    lines.forEach(function (line) {
      line.classList.toggle("lit", line.dataset.a === id || line.dataset.b === id);
    });
  }
  function dim() {
    svg.classList.remove("focused");
    svg.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
  }
  nodes.forEach(function (node) {
    node.addEventListener("mouseenter", function () { light(node.dataset.id); });
    node.addEventListener("focus", function () { light(node.dataset.id); });
    node.addEventListener("mouseleave", dim);
    node.addEventListener("blur", dim);
  });
})();
