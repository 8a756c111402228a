// Draws the network map with ECharts from our own packaged district boundaries (no tile server).
// Data: the json_script block "network-map-data" (points, origin, villages, recommended sites);
// the legend's words: the holder's data-* attributes, translated by the page (network/_map_labels.html).
(function () {
  var holder = document.getElementById("network-map");
  var source = document.getElementById("network-map-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.boundaries) { holder.hidden = true; return; }
  var words = holder.dataset;
  var elder = document.documentElement.classList.contains("elder");
  var size = elder ? 18 : 12;
  holder.style.height = (elder ? 560 : 460) + "px";
  function mark(p) { return p.estimated ? words.estimated : ""; }
  fetch(data.boundaries).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap(data.city, geo);
    var chart = echarts.init(holder, null, { renderer: "svg" });
    var series = [];
    if (data.villages) {
      series.push({
        name: words.covered, type: "scatter", coordinateSystem: "geo", symbolSize: 3, silent: true,
        itemStyle: { color: "#2e7d32" },
        data: data.villages.filter(function (v) { return v[2]; }).map(function (v) { return [v[0], v[1]]; })
      });
      series.push({
        name: words.uncovered, type: "scatter", coordinateSystem: "geo", symbolSize: 4, silent: true,
        itemStyle: { color: "#c62828" },
        data: data.villages.filter(function (v) { return !v[2]; }).map(function (v) { return [v[0], v[1]]; })
      });
    }
    var nearest = data.origin && data.points.length ? data.points[0] : null;
    series.push({
      name: words.points, type: "scatter", coordinateSystem: "geo",
      symbolSize: elder ? 14 : 9,
      data: data.points.map(function (p) {
        return {
          name: p.name + mark(p), value: [p.lon, p.lat],
          itemStyle: p.estimated ? { color: "#fff", borderColor: "#1565c0", borderWidth: 2 } : { color: "#1565c0" }
        };
      })
    });
    if (nearest) {
      series.push({
        name: words.nearest, type: "scatter", coordinateSystem: "geo", symbolSize: elder ? 28 : 20,
        itemStyle: { color: "#b3261e" },
        label: { show: true, position: "right", fontSize: size, formatter: words.nearestPrefix + nearest.name + mark(nearest) },
        data: [{ name: nearest.name + mark(nearest), value: [nearest.lon, nearest.lat] }]
      });
    }
    if (data.origin) {
      series.push({
        name: words.you, type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: elder ? 34 : 26,
        itemStyle: { color: "#333" },
        data: [{ name: data.origin.label + mark(data.origin), value: [data.origin.lon, data.origin.lat] }]
      });
    }
    if (data.sites && data.sites.length) {
      series.push({
        name: words.sites, type: "scatter", coordinateSystem: "geo", symbol: "diamond", symbolSize: elder ? 18 : 12,
        itemStyle: { color: "#0d47a1" },
        data: data.sites.map(function (s, i) { return { name: (i + 1) + ". " + s.name + words.gain.replace("{n}", s.gain), value: [s.lon, s.lat] }; })
      });
    }
    var focus = data.origin ? { center: [data.origin.lon, data.origin.lat], zoom: 4 } : {};
    chart.setOption({
      textStyle: { fontSize: size },
      tooltip: { trigger: "item", formatter: function (p) { return p.name || ""; } },
      legend: { bottom: 0, textStyle: { fontSize: size } },
      geo: Object.assign({
        map: data.city, roam: true, itemStyle: { areaColor: "#f4f1ea", borderColor: "#999" },
        label: { show: !data.origin, fontSize: elder ? 14 : 10, color: "#666" },
        emphasis: { disabled: true }
      }, focus),
      series: series
    });
    holder.setAttribute("data-ready", nearest ? nearest.name : "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
