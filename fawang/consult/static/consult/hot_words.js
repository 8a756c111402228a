(function () {
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var elder = document.documentElement.classList.contains("elder");
  var font = elder ? 18 : 12;
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var option;
    if (node.dataset.chart === "terms") {
      node.style.height = Math.max(160, data.terms.labels.length * (elder ? 44 : 30) + 60) + "px";
      option = {
        grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.terms.labels.slice().reverse(), axisLabel: { fontSize: font } },
        series: [{ type: "bar", data: data.terms.values.slice().reverse(), itemStyle: { color: "#b3261e" },
                   label: { show: true, position: "right", fontSize: font } }],
        tooltip: { trigger: "axis" }
      };
    } else {
      node.style.height = (elder ? 420 : 320) + "px";
      option = { tooltip: { trigger: "item" },
                 series: [{ type: "pie", radius: "65%", data: data.mix, label: { fontSize: font } }] };
    }
    option.textStyle = { fontSize: font };
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
