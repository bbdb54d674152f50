// A chart block made from picked figures: kind, title, the figures (chips), and the chart as it will be drawn.
"use strict";

const CHART_KINDS = { bar: "条形图（横向比较）", column: "柱形图（比较或历年）", line: "折线图（历年变化）", composition: "构成图（各部分占比）" };

// One indicator over several periods: columns over years; several: bars side by side.
function guessKind(refs) {
  const inds = new Set(refs.map((r) => r.split("@")[0]));
  return inds.size === 1 && refs.length > 1 ? "column" : "bar";
}

function defaultTitle(refs) {
  const names = [...new Set(refs.map((r) => (lookupRef(r) || { ind: { name: r } }).ind.name))];
  const title = names.slice(0, 2).join("、") + (names.length > 2 ? "等" : "");
  return title.slice(0, 60);
}

function newPickedChart(refs) {
  return { kind: guessKind(refs), title: defaultTitle(refs), figures: refs };
}

const chartTimers = new Map();
const chartPictures = new Map();  // the chart's JSON → its picture, so a redrawn form shows it at once

function refreshPickedChart(box, chart, path) {
  clearTimeout(chartTimers.get(path));
  const year = spec.year ? "?year=" + spec.year : "";
  const key = year + JSON.stringify(chart);
  const img = box.querySelector("img.picked");
  if (chartPictures.has(key)) { img.src = chartPictures.get(key); img.hidden = false; return; }
  chartTimers.set(path, setTimeout(async () => {
    const note = box.querySelector(".picked-note");
    try {
      const blob = await api("/api/charts/picked.png" + year, { json: chart });
      chartPictures.set(key, URL.createObjectURL(blob));
      img.src = chartPictures.get(key);
      img.hidden = false;
      note.textContent = "";
    } catch (e) {
      img.hidden = true;
      note.textContent = e.problems ? "图表还画不出来：请看下面的提示" : String(e);
    }
  }, 300));
}

function pickedChartBody(b, path) {
  const chart = b.chart;
  const cp = path + ".chart";
  const box = el("div", { class: "picked-chart", "data-field": cp });
  const redraw = () => { drawSections(); changed(); };
  const kind = el("select", { "data-field": cp + ".kind", "aria-label": "图表类型",
    onchange: (e) => { chart.kind = e.target.value; changed(); refreshPickedChart(box, chart, path); } },
    Object.entries(CHART_KINDS).map(([k, label]) => el("option", { value: k, text: label, selected: chart.kind === k })));
  const title = el("input", { "data-field": cp + ".title", value: chart.title || "", placeholder: "如：农村人居环境",
    oninput: (e) => { chart.title = e.target.value; changed(); refreshPickedChart(box, chart, path); } });
  const chips = el("div", { class: "chips figure-chips", "data-field": cp + ".figures" },
    chart.figures.map((ref, n) => el("span", { class: "chip figure", title: ref },
      describeRef(ref),
      el("button", { type: "button", class: "chip-x", "aria-label": "去掉这个数字", text: "×",
        onclick: () => { chart.figures.splice(n, 1); redraw(); } }))),
    el("button", { type: "button", class: "add-figures", text: "＋ 选数字",
      onclick: () => pickFigures("为图表选数字", chart.figures, (refs) => { chart.figures = refs; redraw(); }) }));
  box.append(
    el("div", { class: "grid2" },
      el("div", { class: "field" }, el("label", { text: "图表类型" }), kind),
      el("div", { class: "field", "data-wrap": cp + ".title" }, el("label", {}, "图表标题 ", el("em", { text: "必填" })), title)),
    el("div", { class: "field", "data-wrap": cp + ".figures" }, el("label", { text: "图中的数字" }), chips),
    el("img", { class: "picked", alt: chart.title || "图表预览", hidden: true }),
    el("p", { class: "muted picked-note" }));
  setTimeout(() => refreshPickedChart(box, chart, path));  // once the box is in the page
  return box;
}
