// Pickers of the briefing editor: indicators (name, value, unit, period, source), chart gallery, text passages.
"use strict";

const Catalogue = { data: null, refs: new Map() };

async function loadCatalogue() {
  Catalogue.data = await api("/api/catalogue");
  for (const ind of Catalogue.data.indicators) {
    for (const p of ind.periods) Catalogue.refs.set(p.ref, { ind, p });
  }
  return Catalogue.data;
}

// "gdp@2024" or "gdp@Y" → the indicator and (when the period resolves) the figure.
function lookupRef(ref) {
  if (!ref || !Catalogue.data) return null;
  const year = Catalogue.data.year;
  const m = /^([a-z][a-z0-9_]*)(?:@(Y(?:[+-]\d+)?|[\d-]+))?(?:\/(.+))?$/.exec(ref.trim().replace(/^\{|\}$/g, ""));
  if (!m) return null;
  let period = m[2] || "";
  const rel = /^Y([+-]\d+)?$/.exec(period);
  if (rel) period = String(year + Number(rel[1] || 0));
  const key = m[1] + (period ? "@" + period : "") + (m[3] ? "/" + m[3] : "");
  const hit = Catalogue.refs.get(key);
  if (hit) return hit;
  const ind = Catalogue.data.indicators.find((i) => i.id === m[1]);
  return ind ? { ind, p: null } : null;
}

function describeRef(ref) {
  const hit = lookupRef(ref);
  if (!hit) return ref ? `（未知引用 ${ref}）` : "（未选择）";
  if (!hit.p) return `${hit.ind.name}（${ref}）`;
  return `${hit.ind.name}：${hit.p.value}${hit.p.unit}（${hit.p.period}年${hit.p.scope ? "，" + hit.p.scope : ""}）`;
}

const Picker = {
  dialog: () => document.getElementById("picker"),
  open(title, placeholder, render, foot = null) {
    const dlg = this.dialog();
    const footer = document.getElementById("picker-foot");
    footer.hidden = !foot;
    if (foot) {
      const done = document.getElementById("picker-done");
      done.textContent = foot.label;
      done.onclick = () => { this.close(); foot.done(); };
    }
    document.getElementById("picker-title").textContent = title;
    const search = document.getElementById("picker-search");
    search.value = "";
    search.placeholder = placeholder;
    const list = document.getElementById("picker-list");
    const draw = () => { list.replaceChildren(); render(search.value.trim().toLowerCase(), list); };
    search.oninput = draw;
    // Esc closes the list at once (a search box would first only clear its text).
    search.onkeydown = (e) => { if (e.key === "Escape") { e.preventDefault(); this.close(); } };
    draw();
    dlg.showModal();
    search.focus();
  },
  close() { this.dialog().close(); },
};

function matches(term, ...texts) {
  return !term || texts.some((t) => String(t || "").toLowerCase().includes(term));
}

// Indicators sharing at least one character with the search word (for "森林" also "林长制…"), most shared first.
function nearIndicators(term) {
  const chars = [...new Set(term.replace(/[\s\w]/g, ""))];
  if (!chars.length) return [];
  return Catalogue.data.indicators
    .map((i) => [i, chars.filter((c) => i.name.includes(c)).length])
    .filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([i]) => i);
}

function categoryChips(list, search) {
  const names = Catalogue.data.categories.map((c) => c.name);
  list.append(el("div", { class: "chips" }, el("span", { class: "muted", text: "按类别查看：" }),
    names.map((n) => el("button", { type: "button", class: "chip", text: n,
      onclick: () => { search.value = n; search.dispatchEvent(new Event("input")); search.focus(); } }))));
}

function pickIndicator(title, onPick) {
  Picker.open(title, "搜索指标名称、类别或ID，如“生产总值”", (term, list) => {
    const search = document.getElementById("picker-search");
    const all = Catalogue.data.indicators.filter((i) => matches(term, i.search));
    let hits = all;
    if (!term) categoryChips(list, search);
    if (!all.length) {
      hits = nearIndicators(term);
      list.append(el("p", { class: "muted", text: hits.length
        ? `没有名称中含“${term}”的指标；下面是名称中有相同字的指标：`
        : `没有找到“${term}”：数据中还没有这项指标（请联系维护数据的同事添加）。` }));
      categoryChips(list, search);
    }
    for (const ind of hits) {
      const periods = ind.periods.slice().reverse().map((p) =>
        el("button", { type: "button", class: "period", "data-ref": p.ref,
          onclick: () => { Picker.close(); onPick(p.ref, ind, p); } },
          el("b", { text: p.period + "年" + (p.scope ? "·" + p.scope : "") }),
          el("span", { class: "value", text: ` ${p.value}${p.unit}` }),
          el("small", { text: p.source_name })));
      list.append(el("div", { class: "indicator", "data-id": ind.id },
        el("div", { class: "ind-head" }, el("strong", { text: ind.name }),
          el("span", { class: "muted", text: ` ${ind.unit || "无单位"} · ${ind.category_names.join("、")}` })),
        el("div", { class: "periods" }, periods.length ? periods : el("span", { class: "muted", text: "（暂无数字）" }))));
    }
  });
}

// Several figures at once (for a chart): each period button toggles; the footer says how many and makes the chart.
function pickFigures(title, already, onDone) {
  const chosen = [...already];
  const count = () => {
    document.getElementById("picker-count").textContent = chosen.length
      ? "已选：" + chosen.map((r) => describeRef(r)).join("；") : "点选要画进图表的数字（可选多个，再点一次取消）";
    document.getElementById("picker-done").disabled = !chosen.length;
  };
  Picker.open(title, "搜索指标名称或类别，如“乡村振兴”", (term, list) => {
    const search = document.getElementById("picker-search");
    const hits = Catalogue.data.indicators.filter((i) => matches(term, i.search));
    if (!term) categoryChips(list, search);
    if (!hits.length) list.append(el("p", { class: "muted", text: `没有找到“${term}”的指标；可换一个词，或按类别查看。` }));
    for (const ind of hits) {
      const periods = ind.periods.slice().reverse().map((p) => {
        const btn = el("button", { type: "button", class: "period" + (chosen.includes(p.ref) ? " selected" : ""),
          "data-ref": p.ref, "aria-pressed": String(chosen.includes(p.ref)) },
          el("b", { text: p.period + "年" + (p.scope ? "·" + p.scope : "") }),
          el("span", { class: "value", text: ` ${p.value}${p.unit}` }));
        btn.onclick = () => {
          const at = chosen.indexOf(p.ref);
          if (at >= 0) chosen.splice(at, 1); else chosen.push(p.ref);
          btn.classList.toggle("selected", at < 0);
          btn.setAttribute("aria-pressed", String(at < 0));
          count();
        };
        return btn;
      });
      list.append(el("div", { class: "indicator", "data-id": ind.id },
        el("div", { class: "ind-head" }, el("strong", { text: ind.name }),
          el("span", { class: "muted", text: ` ${ind.unit || "无单位"} · ${ind.category_names.join("、")}` })),
        el("div", { class: "periods" }, periods.length ? periods : el("span", { class: "muted", text: "（暂无数字）" }))));
    }
    count();
  }, { label: "用所选数字做图表", done: () => onDone(chosen) });
}

function pickChart(onPick) {
  Picker.open("选择图表", "搜索图表标题或ID", (term, list) => {
    const grid = el("div", { class: "gallery" });
    for (const c of Catalogue.data.charts.filter((c) => matches(term, c.title, c.id))) {
      grid.append(el("button", { type: "button", class: "chart-card", "data-chart": c.id,
        onclick: () => { Picker.close(); onPick(c.id); } },
        el("img", { src: `/api/charts/${encodeURIComponent(c.id)}.png`, alt: c.title, loading: "lazy" }),
        el("span", { text: c.title })));
    }
    list.append(grid);
  });
}

function pickBlock(onPick) {
  Picker.open("选择文章段落", "搜索段落文字或所在位置，如“乡村振兴”", (term, list) => {
    const hits = Catalogue.data.blocks.filter((b) => matches(term, b.text || b.first_words, b.where, b.id));
    if (!hits.length) list.append(el("p", { class: "muted", text: `没有含“${term}”的段落；可换一个词，或清空搜索框浏览全部 ${Catalogue.data.blocks.length} 段。` }));
    for (const b of hits) {
      list.append(el("button", { type: "button", class: "passage", "data-use": b.id,
        onclick: () => { Picker.close(); onPick(b.id); } },
        el("small", { text: b.where }), el("span", { text: b.first_words + "……" }),
        snippet(b.text || "", term)));
    }
  });
}

// Where the search word occurs past the first words: "……前文【森林】后文……".
function snippet(text, term) {
  const at = term ? text.toLowerCase().indexOf(term) : -1;
  if (at < 50) return null;
  return el("small", { class: "hit" }, "……" + text.slice(Math.max(0, at - 24), at),
    el("mark", { text: text.slice(at, at + term.length) }), text.slice(at + term.length, at + term.length + 24) + "……");
}

function blockLabel(use) {
  const b = Catalogue.data && Catalogue.data.blocks.find((x) => x.id === use);
  return b ? `${b.where}：${b.first_words}……` : use ? `（${use}）` : "（未选择）";
}

function chartTitle(id) {
  const c = Catalogue.data && Catalogue.data.charts.find((x) => x.id === id);
  return c ? c.title : id || "（未选择）";
}
