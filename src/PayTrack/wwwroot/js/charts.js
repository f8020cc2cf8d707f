// Draws the charts whose data sits in <script type="application/json" id="<canvas id>-data"> blocks.
// Amounts arrive as exact decimal strings; the tooltip shows the server's formatted text.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.id + "-data");
    if (!source || typeof window.Chart === "undefined") return;
    var d = JSON.parse(source.textContent);
    if (d.kind === "cashflow") { drawCashFlow(canvas, d); return; }
    var values = d.amounts.map(function (a) { return Number(a); });
    var horizontal = d.kind === "hbar";
    var type = d.kind === "doughnut" ? "doughnut" : "bar";
    var chart = new window.Chart(canvas, {
      type: type,
      data: {
        labels: d.labels,
        datasets: [{ label: "Spent (" + d.currency + ")", data: values, backgroundColor: type === "doughnut" ? d.colors : "#00895a", borderRadius: type === "bar" ? 4 : 0 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        plugins: {
          legend: { display: type === "doughnut", position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return " " + ctx.label + ": " + d.display[ctx.dataIndex]; } } }
        },
        scales: type === "doughnut" ? {} : { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    });
    canvas.setAttribute("data-ready", "true");
    canvas.__chart = chart;
  }
  // Income and spending bars per period with the net as a line; tooltips show the server's formatted amounts.
  function drawCashFlow(canvas, d) {
    function nums(a) { return a.map(function (x) { return Number(x); }); }
    var shown = [d.displayIncome, d.displaySpending, d.displayNet];
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: "In (" + d.currency + ")", data: nums(d.income), backgroundColor: "#00895a", borderRadius: 4, order: 2 },
          { label: "Out (" + d.currency + ")", data: nums(d.spending), backgroundColor: "#d97706", borderRadius: 4, order: 2 },
          { label: "Net", data: nums(d.net), type: "line", borderColor: "#2b6cb0", backgroundColor: "#2b6cb0", tension: 0, order: 1 }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: true, position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return " " + ctx.dataset.label + ": " + shown[ctx.datasetIndex][ctx.dataIndex]; } } }
        },
        scales: { y: { beginAtZero: true } }
      }
    });
    canvas.setAttribute("data-ready", "true");
    canvas.__chart = chart;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // Axis and legend text in the page's own colours, so charts stay readable in dark mode.
    if (typeof window.Chart !== "undefined") {
      var style = getComputedStyle(document.body);
      window.Chart.defaults.color = style.color;
      window.Chart.defaults.borderColor = style.getPropertyValue("--pt-line").trim() || "rgba(0,0,0,.1)";
    }
    document.querySelectorAll("canvas[id]").forEach(draw);
  });
})();
