(function () {
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var elder = document.documentElement.classList.contains("elder");
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var series = data[node.dataset.chart];
    node.style.height = Math.max(160, series.labels.length * (elder ? 44 : 30) + 60) + "px";
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontSize: elder ? 18 : 12 },
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: series.labels.slice().reverse(),
               axisLabel: { fontSize: elder ? 18 : 12 } },
      series: [{ type: "bar", data: series.values.slice().reverse(), itemStyle: { color: "#b3261e" },
                 label: { show: true, position: "right", fontSize: elder ? 18 : 12 } }],
      tooltip: { trigger: "axis" }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    // The chart is drawn: fold its table (still one click away, and read by screen readers).
    var table = node.parentNode.querySelector("details.chart-table");
    if (table) { table.open = false; }
  });
})();
