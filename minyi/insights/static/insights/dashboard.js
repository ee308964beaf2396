/* Draw each dashboard figure with ECharts from its json_script block.
 * The page works without this file: every figure is also an HTML table.
 * Data shape: {title, chart: "line"|"bar"|"hbar"|"funnel", headers, rows, series}
 * where the first column is the category axis and ``series`` lists the
 * columns to draw. */
(function () {
  "use strict";

  var charts = [];

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function funnelOption(data) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c} 篇", renderMode: "richText" },
      series: [{
        type: "funnel",
        left: "10%", width: "80%", top: 10, bottom: 10,
        sort: "none",
        minSize: "10%",
        label: { position: "inside", formatter: "{b}\n{c}" },
        data: data.rows.map(function (row) { return { name: row[0], value: number(row[1]) }; })
      }]
    };
  }

  function axisOption(data) {
    var categories = data.rows.map(function (row) { return String(row[0]); });
    var series = data.series.map(function (col) {
      return {
        name: data.headers[col],
        type: data.chart,
        smooth: data.chart === "line",
        data: data.rows.map(function (row) { return number(row[col]); })
      };
    });
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    };
  }

  /* Units and sectors: horizontal bars, one row per label, every label shown
   * (no skipping), the first row on top; the chart grows with the rows. */
  function horizontalOption(data) {
    var categories = data.rows.map(function (row) { return String(row[0]); });
    var series = data.series.map(function (col) {
      return {
        name: data.headers[col],
        type: "bar",
        data: data.rows.map(function (row) { return number(row[col]); })
      };
    });
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: categories, inverse: true, axisLabel: { interval: 0 } },
      series: series
    };
  }

  var ROW_HEIGHT = 26;

  function option(data, box) {
    if (data.chart === "funnel") { return funnelOption(data); }
    if (data.chart === "hbar") {
      box.style.height = Math.max(320, data.rows.length * ROW_HEIGHT * data.series.length / 2 + 80) + "px";
      return horizontalOption(data);
    }
    return axisOption(data);
  }

  function draw(box) {
    var source = document.getElementById(box.dataset.figure);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.rows.length) { return; } // the table says "暂无数据"
    box.hidden = false;
    var chart = window.echarts.init(box);
    var chosen = option(data, box);
    chart.resize();
    chart.setOption(chosen);
    charts.push(chart);
    // The chart now carries the figure, so fold the table away (one click opens it).
    var table = document.querySelector('details[data-table-for="' + box.dataset.figure + '"]');
    if (table) { table.open = false; }
  }

  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }

  function start() {
    if (!window.echarts) { return; } // tables stay open
    document.querySelectorAll("[data-figure]").forEach(draw);
    var pending = null;
    // Phones rotate and desktop windows resize: redraw at the new width, once settled.
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(resizeAll, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
