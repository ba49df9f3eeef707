/* Draw every figure of the page from the JSON stored beside it, with the site's own plotly.js.
   Loaded (deferred, after plotly.min.js) only by pages that hold a figure. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script.csto-plot-data").forEach(function (data) {
    var target = document.getElementById(data.dataset.target);
    if (!target || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(data.textContent);
    Plotly.newPlot(target, figure.data, figure.layout, {
      responsive: true,
      displayModeBar: false,
    });
  });
});
