/* Interactive growth-curve chart for the Big O chapter (docs/dsa/big-o.md).
 *
 * Draws f(n) for each complexity class with the vendored Chart.js (loaded by
 * the page itself, no network). Readers toggle curves, move the n slider and
 * switch to a logarithmic y axis; a table below shows each class's step
 * count at the chosen n and how long that takes at an assumed 10^8 simple
 * steps per second (an order-of-magnitude rule of thumb, see the page).
 * Axis and text colours come from Furo's CSS variables and are re-read when
 * the reader switches between light and dark mode.
 */
(function () {
  "use strict";

  var STEPS_PER_SECOND = 1e8;

  function factorial(n) {
    // Exact at integers; between them, geometric interpolation from n! to (n+1)!.
    var whole = Math.floor(n);
    var result = 1;
    for (var k = 2; k <= whole; k++) result *= k;
    var frac = n - whole;
    return frac === 0 ? result : result * Math.pow(whole + 1, frac);
  }

  // label, f, colour (Tableau 10: mid-luminance, readable on light and dark), dash
  var CLASSES = [
    ["O(1)", function () { return 1; }, null, []],
    ["O(log n)", function (n) { return Math.log2(n); }, "#76b7b2", [2, 3]],
    ["O(n)", function (n) { return n; }, "#59a14f", []],
    ["O(n log n)", function (n) { return n * Math.log2(n); }, "#4e79a7", [6, 3]],
    ["O(n^2)", function (n) { return n * n; }, "#f28e2b", []],
    ["O(n^3)", function (n) { return n * n * n; }, "#edc948", [4, 2]],
    ["O(2^n)", function (n) { return Math.pow(2, n); }, "#e15759", [6, 3]],
    ["O(n!)", factorial, "#b07aa1", [2, 3]],
  ];
  var POLYNOMIAL = { "O(1)": 1, "O(log n)": 1, "O(n)": 1, "O(n log n)": 1, "O(n^2)": 1, "O(n^3)": 1 };

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
  }

  function formatSteps(x) {
    if (x < 1e6) return x.toLocaleString("en-US", { maximumFractionDigits: 1 });
    return x.toExponential(2).replace("e+", "e");
  }

  function formatDuration(seconds) {
    var units = [["years", 3.156e7], ["days", 86400], ["hours", 3600], ["minutes", 60], ["s", 1],
                 ["ms", 1e-3], ["µs", 1e-6], ["ns", 1e-9]];
    for (var i = 0; i < units.length; i++) {
      if (seconds >= units[i][1]) {
        var v = seconds / units[i][1];
        var text = v >= 1e6 ? v.toExponential(1).replace("e+", "e") : v.toPrecision(3);
        return text + " " + units[i][0];
      }
    }
    return "< 1 ns";
  }

  function init(root) {
    var canvas = root.querySelector("canvas");
    var slider = root.querySelector("input[type=range]");
    var nLabel = root.querySelector(".sb-bigo-n");
    var logBox = root.querySelector("input[name=log-scale]");
    var table = root.querySelector("tbody");
    var boxes = root.querySelectorAll("input[data-class]");
    if (typeof Chart === "undefined") {
      root.querySelector(".sb-bigo-fallback").hidden = false;
      return;
    }

    // A line sample next to each checkbox doubles as the chart's legend.
    var swatches = [];
    for (var b = 0; b < boxes.length; b++) {
      var swatch = document.createElement("span");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.cssText = "display:inline-block;width:1.8em;height:0;vertical-align:middle;margin:0 0.35em";
      boxes[b].parentNode.insertBefore(swatch, boxes[b].nextSibling);
      swatches.push([swatch, boxes[b].getAttribute("data-class")]);
    }

    function paintSwatches() {
      swatches.forEach(function (pair) {
        CLASSES.forEach(function (c) {
          if (c[0] !== pair[1]) return;
          var colour = c[2] || cssVar("--color-foreground-secondary", "#808080");
          pair[0].style.borderTop = "3px " + (c[3].length ? "dashed " : "solid ") + colour;
        });
      });
    }

    function visible(label) {
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].getAttribute("data-class") === label) return boxes[i].checked;
      }
      return true;
    }

    function datasets(maxN, logScale) {
      var step = Math.max(maxN / 200, 0.05);
      return CLASSES.map(function (c) {
        var points = [];
        for (var n = 1; n <= maxN + 1e-9; n += step) {
          var y = c[1](n);
          points.push({ x: n, y: logScale && y <= 0 ? null : y });
        }
        return {
          label: c[0],
          data: points,
          borderColor: c[2] || cssVar("--color-foreground-secondary", "#808080"),
          backgroundColor: c[2] || cssVar("--color-foreground-secondary", "#808080"),
          borderDash: c[3],
          borderWidth: 2,
          pointRadius: 0,
          hidden: !visible(c[0]),
        };
      });
    }

    function yMax(maxN, logScale) {
      if (logScale) return undefined;
      var top = 0;
      var anyPolynomial = false;
      CLASSES.forEach(function (c) {
        if (visible(c[0]) && POLYNOMIAL[c[0]]) {
          anyPolynomial = true;
          top = Math.max(top, c[1](maxN));
        }
      });
      if (!anyPolynomial) {
        CLASSES.forEach(function (c) { if (visible(c[0])) top = Math.max(top, c[1](maxN)); });
      }
      return Math.min(top, 1e300) || 1;
    }

    function tickLabel(value) {
      if (!logBox.checked) return formatSteps(value);
      var exponent = Math.log10(value);
      if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return "";  // only powers of ten
      return exponent < 6 ? formatSteps(value) : "1e" + Math.round(exponent);
    }

    function themeColours() {
      return {
        text: cssVar("--color-foreground-primary", "#444"),
        grid: cssVar("--color-background-border", "#ccc"),
      };
    }

    var colours = themeColours();
    var maxN = Number(slider.value);
    var chart = new Chart(canvas, {
      type: "line",
      data: { datasets: datasets(maxN, logBox.checked) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        spanGaps: true,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + formatSteps(ctx.parsed.y) + " steps";
              },
              title: function (items) { return "n = " + items[0].parsed.x.toFixed(2); },
            },
          },
        },
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear", min: 1, max: maxN,
            title: { display: true, text: "input size n", color: colours.text },
            ticks: { color: colours.text }, grid: { color: colours.grid },
          },
          y: {
            type: logBox.checked ? "logarithmic" : "linear", min: logBox.checked ? 0.5 : 0,
            max: yMax(maxN, logBox.checked),
            title: { display: true, text: "steps", color: colours.text },
            ticks: { color: colours.text, callback: tickLabel, autoSkip: true, maxTicksLimit: 12 },
            grid: { color: colours.grid },
          },
        },
      },
    });

    function updateTable(n) {
      var rows = CLASSES.map(function (c) {
        var steps = c[1](n);
        return "<tr><td>" + c[0] + "</td><td>" + formatSteps(steps) + "</td><td>" +
          formatDuration(steps / STEPS_PER_SECOND) + "</td></tr>";
      });
      table.innerHTML = rows.join("");
    }

    function redraw() {
      var n = Number(slider.value);
      var logScale = logBox.checked;
      nLabel.textContent = String(n);
      chart.data.datasets = datasets(n, logScale);
      chart.options.scales.x.max = n;
      chart.options.scales.y.type = logScale ? "logarithmic" : "linear";
      chart.options.scales.y.min = logScale ? 0.5 : 0;
      chart.options.scales.y.max = yMax(n, logScale);
      updateTable(n);
      chart.update();
    }

    function recolour() {
      var c = themeColours();
      ["x", "y"].forEach(function (axis) {
        chart.options.scales[axis].ticks.color = c.text;
        chart.options.scales[axis].title.color = c.text;
        chart.options.scales[axis].grid.color = c.grid;
      });
      paintSwatches();
      redraw();
    }

    slider.addEventListener("input", redraw);
    logBox.addEventListener("change", redraw);
    for (var i = 0; i < boxes.length; i++) boxes[i].addEventListener("change", redraw);
    // Furo switches themes by setting body[data-theme]; "auto" follows the OS.
    new MutationObserver(recolour).observe(document.body, { attributes: true, attributeFilter: ["data-theme"] });
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) query.addEventListener("change", recolour);
    }
    paintSwatches();
    redraw();
  }

  function start() {
    var roots = document.querySelectorAll(".sb-bigo-chart");
    for (var i = 0; i < roots.length; i++) init(roots[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
