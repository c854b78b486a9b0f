// Draws the plotly figures whose data the page carries; opens an actor's panel from the map or the list of actors;
// hides the names that would collide at the screen's own size. Everything else is htmx.
(function () {
  "use strict";

  // The map keeps plotly's tools for looking closer and for a picture of it; a chart needs none, and each tool was
  // one more stop for the keyboard. Their titles are in the page's language (the words come with the page).
  const mapConfig = {
    responsive: true,
    displaylogo: false,
    modeBarButtons: [["toImage"], ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]],
  };
  const chartConfig = { responsive: true, displayModeBar: false };
  const words = document.getElementById("plotly-words");
  if (words) {
    const language = document.documentElement.lang || "da";
    Plotly.register({ moduleType: "locale", name: language, dictionary: JSON.parse(words.textContent), format: {} });
    mapConfig.locale = chartConfig.locale = language;
  }

  function draw(root) {
    root.querySelectorAll("[data-plot]").forEach(function (element) {
      const source = document.getElementById(element.dataset.plot);
      if (!source || element.dataset.drawn) return;
      element.dataset.drawn = "yes";
      const figure = JSON.parse(source.textContent);
      tieHovers(figure);
      if (element.id === "network-map") fitCaptions(element, figure.layout);
      const config = element.id === "network-map" ? mapConfig : chartConfig;
      const drawn = Plotly.react(element, figure.data, figure.layout, config);
      if (element.id !== "network-map") return;
      // The charts come once the map is drawn, or has failed to be: never held up by it, never lost with it.
      drawn.finally(loadCharts);
      drawn.then(function () {
        if (figure.drill_down) {
          element.on("plotly_click", function (event) { openCentre(element, event); });
        } else {
          element.on("plotly_click", function (event) { openClicked(element, event); });
          // Names are sorted out once the map is drawn, and again whenever it is redrawn (zoom, pan, resize).
          element.on("plotly_afterplot", function () { declutter(element); });
          declutter(element);
        }
      });
    });
  }

  // Each centre's caption goes over as many short lines as its cell of the grid needs, a size smaller on a narrow
  // screen: on one long line, the captions of neighbouring centres run into each other and off the map (with 24
  // centres even at 1440 px).
  function fitCaptions(element, layout) {
    if (!layout.annotations || !layout.annotations.length) return;
    const columns = new Set(layout.annotations.map(function (caption) { return caption.x; })).size;
    const narrow = element.clientWidth < 600;
    // The plot's share of the element, less the room between the groups.
    const cell = (element.clientWidth * 0.85) / columns;
    // Bold text is some 0.7 of its size wide a letter: how many letters a line of the cell holds at a size.
    const perLineAt = function (px) { return Math.max(6, Math.floor(cell / (px * 0.7))); };
    layout.annotations.forEach(function (caption) {
      const words = unescapeHtml(caption.text.replace(/^<b>|<\/b>$/g, "")).split(" ");
      const longest = Math.max.apply(null, words.map(function (word) { return word.length; }));
      // Each caption a size smaller only as far as its own longest word needs, never below 8 px.
      const size = Math.max(8, Math.min(narrow ? 11 : 13, Math.floor(cell / (longest * 0.7))));
      const perLine = narrow ? Math.min(16, perLineAt(size)) : perLineAt(size);
      const lines = [];
      words.forEach(function (word) {
        // A word longer than the line even at 8 px (a compound on a phone) is broken with a hyphen.
        const pieces = [];
        while (word.length > perLine) {
          pieces.push(word.slice(0, perLine - 1) + "-");
          word = word.slice(perLine - 1);
        }
        pieces.push(word);
        pieces.forEach(function (piece, index) {
          const last = lines.length - 1;
          if (index === 0 && last >= 0 && (lines[last] + " " + piece).length <= perLine) lines[last] += " " + piece;
          else lines.push(piece);
        });
      });
      caption.text = "<b>" + lines.map(escapeHtml).join("<br>") + "</b>";
      caption.font = Object.assign({}, caption.font, { size: size });
    });
  }

  // The captions come escaped from the server (collaboration/maps/figures.py): measured and broken as the letters
  // they show, escaped again before plotly draws them.
  function unescapeHtml(text) {
    const box = document.createElement("textarea");
    box.innerHTML = text;
    return box.value;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function loadCharts() {
    const charts = document.querySelector("#charts[data-charts]");
    if (charts) htmx.ajax("GET", charts.dataset.charts, { target: charts, swap: "outerHTML" });
  }

  // Each tie's hover, made from its row and the names the figure sends once (collaboration/maps/figures.py). The
  // names come escaped from the server; the words are the app's own.
  function tieHovers(figure) {
    const names = figure.names || {};
    const words = figure.tie_words || {};
    figure.data.forEach(function (trace) {
      if (!trace.samkort_ties) return;
      trace.hovertext = trace.samkort_ties.map(function (tie) {
        const forms = tie[3].map(function (form) { return words.form_labels[form]; }).join(", ");
        return "<b>" + names[tie[0]] + " – " + names[tie[1]] + "</b><br>" +
          words.collaborations + ": " + tie[2] + "<br>" + words.forms + ": " + forms + "<br>" + tie[4] + " – " + (tie[5] || words.ongoing);
      });
      delete trace.samkort_ties;
    });
  }

  // A map of many centres drawn as the centres: a click opens the centre's own map, with the same filters.
  function openCentre(map, event) {
    const point = event.points && event.points[0];
    if (!point || typeof point.customdata !== "string") return;
    const query = new URLSearchParams(map.dataset.query || "");
    query.delete("actors");
    window.location.assign(point.customdata + (query.toString() ? "?" + query.toString() : ""));
  }

  // --- Names ---------------------------------------------------------------------------------------------------

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Actors' markers and names, each with the point plotly bound to it (d3's __data__): the same object for both.
  function actorMarks(map) {
    const marks = [];
    map.querySelectorAll(".scatterlayer .trace").forEach(function (trace) {
      const full = trace.__data__ && trace.__data__[0] && trace.__data__[0].trace;
      if (!full || full.customdata === undefined) return; // ties and their hover points carry no actor
      trace.querySelectorAll(".points path.point").forEach(function (marker) {
        marks.push({ marker: marker, point: marker.__data__, actor: full.customdata[marker.__data__.i] });
      });
    });
    return marks;
  }

  // The server placed the names for a laptop screen; on any screen, the less important of two colliding names is
  // hidden, as is a name over the marker of an actor at least as important (a larger marker) or one that would run
  // off the map (its hover and the actor panel still give it).
  function declutter(map) {
    const names = Array.from(map.querySelectorAll(".scatterlayer .textpoint")).filter(function (name) {
      return name.textContent.trim() !== "";
    });
    names.sort(function (a, b) { return (b.__data__.mrc || 0) - (a.__data__.mrc || 0); });
    // All writes, then all reads, then all writes: one layout for the whole map, not one per name.
    names.forEach(function (name) { name.style.visibility = ""; });
    const frame = map.getBoundingClientRect();
    const boxes = names.map(function (name) { return name.getBoundingClientRect(); });
    const markers = new Map();
    actorMarks(map).forEach(function (mark) {
      addToGrid(markers, { point: mark.point, box: mark.marker.getBoundingClientRect() });
    });
    const kept = new Map();
    // A centre's caption on the map of several centres stays: the names give way to it.
    map.querySelectorAll(".annotation").forEach(function (caption) {
      addToGrid(kept, { box: caption.getBoundingClientRect() });
    });
    const hidden = names.filter(function (name, index) {
      const box = boxes[index];
      const outside = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
      const overMarker = anyNear(markers, box, function (mark) {
        return mark.point !== name.__data__ && (mark.point.mrc || 0) >= (name.__data__.mrc || 0) && overlaps(mark.box, box);
      });
      if (outside || overMarker || anyNear(kept, box, function (other) { return overlaps(other.box, box); })) return true;
      addToGrid(kept, { box: box });
      return false;
    });
    hidden.forEach(function (name) { name.style.visibility = "hidden"; });
  }

  // Boxes filed by the squares of a coarse grid they touch, so that a name is held against its neighbours only: on a
  // map of thousands of actors, every name against every marker would be millions of comparisons.
  const GRID_CELL = 80;

  function gridCells(box, visit) {
    for (let x = Math.floor(box.left / GRID_CELL); x <= Math.floor(box.right / GRID_CELL); x++) {
      for (let y = Math.floor(box.top / GRID_CELL); y <= Math.floor(box.bottom / GRID_CELL); y++) visit(x + "," + y);
    }
  }

  function addToGrid(grid, item) {
    gridCells(item.box, function (cell) {
      if (!grid.has(cell)) grid.set(cell, []);
      grid.get(cell).push(item);
    });
  }

  function anyNear(grid, box, test) {
    let found = false;
    gridCells(box, function (cell) {
      if (!found && grid.has(cell) && grid.get(cell).some(test)) found = true;
    });
    return found;
  }

  // --- Opening an actor ----------------------------------------------------------------------------------------

  // A click on an actor opens its panel, wherever on the marker it lands. The click's own position decides:
  // plotly reports the point it last hovered, which after a quick move may be another actor or a tie's invisible
  // hover point in the middle of a big marker.
  function openClicked(map, event) {
    const click = event.event;
    const under = click ? actorUnder(map, click.clientX, click.clientY) : null;
    if (under !== null) {
      openActor(map, under);
      return;
    }
    const point = event.points && event.points[0];
    if (point && point.customdata !== undefined) openActor(map, point.customdata);
  }

  function actorUnder(map, x, y) {
    let nearest = null;
    actorMarks(map).forEach(function (mark) {
      const box = mark.marker.getBoundingClientRect();
      const distance = Math.hypot(x - (box.left + box.width / 2), y - (box.top + box.height / 2));
      if (distance <= Math.max(box.width, box.height) / 2 + 2 && (!nearest || distance < nearest.distance)) {
        nearest = { actor: mark.actor, distance: distance };
      }
    });
    return nearest ? nearest.actor : null;
  }

  function panelUrl(map, actor) {
    return map.dataset.panelUrl.replace(/\/0\/$/, "/" + actor + "/") + (map.dataset.query ? "?" + map.dataset.query : "");
  }

  function openActor(map, actor) {
    if (!map.dataset.panelUrl) return;
    htmx.ajax("GET", panelUrl(map, actor), { target: "#actor-panel", swap: "innerHTML" });
  }

  // The chosen actor stands out on the map: a ring around its marker, the same size on every screen.
  function highlight(actor) {
    const map = document.getElementById("network-map");
    if (!map || !map.data) return;
    const shapes = [];
    map.data.forEach(function (trace) {
      if (!trace.customdata) return;
      const index = trace.customdata.indexOf(actor);
      if (index < 0) return;
      const size = (Array.isArray(trace.marker.size) ? trace.marker.size[index] : trace.marker.size) + 12;
      shapes.push({
        type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel",
        xanchor: trace.x[index], yanchor: trace.y[index],
        x0: -size / 2, x1: size / 2, y0: -size / 2, y1: size / 2,
        line: { color: "#f0a500", width: 4 },
      });
    });
    Plotly.relayout(map, { shapes: shapes });
  }

  function clearHighlight() {
    const map = document.getElementById("network-map");
    if (map && map.data) Plotly.relayout(map, { shapes: [] });
  }

  // --- The list of actors, the map's keyboard route --------------------------------------------------------------

  document.addEventListener("input", function (event) {
    // A map of many actors has the server find the names (its search form, through htmx).
    if (event.target.id !== "actor-filter" || event.target.form) return;
    const wanted = event.target.value.trim().toLocaleLowerCase("da");
    let shown = 0;
    document.querySelectorAll("#actor-list li").forEach(function (item) {
      const match = item.dataset.name.indexOf(wanted) >= 0;
      item.hidden = !match;
      if (match) shown += 1;
    });
    const none = document.getElementById("actor-list-none");
    if (none) none.hidden = shown > 0;
  });

  // --- htmx ----------------------------------------------------------------------------------------------------

  // Free each plot before htmx replaces it: an old plot left to the garbage collector keeps its memory for long.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (target && (target.id === "map-area" || target.id === "charts")) {
      target.querySelectorAll(".js-plotly-plot").forEach(function (plot) { Plotly.purge(plot); });
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    if (target.id === "map-area" || target.id === "charts" || target.closest("#map-area")) draw(document);
    if (target.id === "actor-panel") {
      const panel = target.querySelector("[data-actor]");
      if (!panel) return;
      highlight(Number(panel.dataset.actor));
      // Right under the map, and in view: the keyboard and the screen reader land on its heading.
      target.scrollIntoView({ block: "nearest" });
      const heading = target.querySelector("h2");
      if (heading) heading.focus({ preventScroll: true });
    }
  });

  // Closing the panel gives the focus back where it was when the panel was asked for (a name in the list of actors),
  // or else to the finder above that list.
  let panelOpener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.target && event.detail.target.id === "actor-panel") panelOpener = document.activeElement;
  });

  function closePanel() {
    document.getElementById("actor-panel").innerHTML = "";
    clearHighlight();
    const finder = document.getElementById("actor-finder");
    const finderFocus = finder && (finder.open ? document.getElementById("actor-filter") : finder.querySelector("summary"));
    const candidates = [panelOpener, finderFocus];
    for (const candidate of candidates) {
      if (!candidate || !candidate.isConnected || candidate === document.body) continue;
      candidate.focus();
      if (document.activeElement === candidate) return;
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-closes-panel]")) closePanel();
  });

  // Escape closes the actor's panel, as it closes what else opens over a page.
  document.addEventListener("keydown", function (event) {
    const panel = document.getElementById("actor-panel");
    if (event.key === "Escape" && panel && panel.contains(document.activeElement) && panel.innerHTML.trim()) {
      closePanel();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
})();
