// Draws the plotly figures whose data the page carries, and opens an actor's panel when it is clicked.
(function () {
  "use strict";

  const config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function draw(root) {
    root.querySelectorAll("[data-plot]").forEach(function (element) {
      const source = document.getElementById(element.dataset.plot);
      if (!source || element.dataset.drawn) return;
      element.dataset.drawn = "yes";
      const figure = JSON.parse(source.textContent);
      Plotly.react(element, figure.data, figure.layout, config);
      if (element.id === "network-map") element.on("plotly_click", openPanel);
    });
  }

  function openPanel(event) {
    const point = event.points && event.points[0];
    const map = document.getElementById("network-map");
    if (!point || point.customdata === undefined || !map.dataset.panelUrl) return;
    const url = map.dataset.panelUrl.replace(/\/0\/$/, "/" + point.customdata + "/");
    htmx.ajax("GET", url + "?" + map.dataset.query, { target: "#actor-panel", swap: "innerHTML" });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    if (target.id === "map-area" || target.id === "charts" || target.closest("#map-area")) draw(document);
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-closes-panel]")) document.getElementById("actor-panel").innerHTML = "";
  });
})();
