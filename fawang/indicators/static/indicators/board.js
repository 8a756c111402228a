(function () {
  var data = JSON.parse(document.getElementById("indicator-charts").textContent);
  var panel = document.getElementById("chart-panel");
  var elder = document.documentElement.classList.contains("elder");
  var size = elder ? 18 : 12;
  var charts = [];
  function draw(id) {
    var series = data[id];
    panel.hidden = false;
    document.getElementById("chart-heading").textContent = series.name;
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    if (!window.echarts) { return; }
    var trend = document.getElementById("trend-chart");
    trend.style.height = (elder ? 320 : 240) + "px";
    var a = echarts.init(trend, null, { renderer: "svg" });
    a.setOption({
      textStyle: { fontSize: size }, tooltip: { trigger: "axis" },
      grid: { left: 8, right: 20, top: 30, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: series.months, axisLabel: { fontSize: size } },
      yAxis: { type: "value", axisLabel: { fontSize: size } },
      series: [{ type: "line", data: series.trend, itemStyle: { color: "#b3261e" },
                 markLine: { data: [{ yAxis: series.target, name: "目标" }] } }]
    });
    charts.push(a);
    if (series.children.length) {
      var node = document.getElementById("children-chart");
      node.style.height = Math.max(160, series.children.length * (elder ? 40 : 26) + 40) + "px";
      var b = echarts.init(node, null, { renderer: "svg" });
      b.setOption({
        textStyle: { fontSize: size }, tooltip: { trigger: "axis" },
        grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: series.children.slice().reverse(), axisLabel: { fontSize: size } },
        series: [{ type: "bar", data: series.child_values.slice().reverse(), itemStyle: { color: "#555" },
                   label: { show: true, position: "right", fontSize: size },
                   markLine: { data: [{ xAxis: series.target }] } }]
      });
      charts.push(b);
    }
    panel.scrollIntoView({ behavior: "smooth" });
  }
  document.querySelectorAll("[data-show-chart]").forEach(function (button) {
    button.addEventListener("click", function () { draw(button.dataset.showChart); });
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
