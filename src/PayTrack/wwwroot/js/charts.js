// Draws the charts whose data sits in <script type="application/json" id="<canvas id>-data"> blocks.
// Amounts arrive as exact decimal strings; the tooltip shows the server's formatted text.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.id + "-data");
    if (!source || typeof window.Chart === "undefined") return;
    var d = JSON.parse(source.textContent);
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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[id]").forEach(draw);
  });
})();
