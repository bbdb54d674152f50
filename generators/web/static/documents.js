// 文档 page (and the designer's): status of every product, 生成 with live progress, downloads, thumbnails.
"use strict";

function statusBadge(p) {
  if (!p.built) return el("span", { class: "badge warn", text: "尚未生成" });
  if (!p.up_to_date) return el("span", { class: "badge warn", text: "输入已变化，需重新生成" });
  return el("span", { class: "badge ok", text: "最新" });
}

function fileCard(f, tools) {
  const card = el("article", { class: "file" },
    el("div", { class: "file-head" },
      el("a", { href: f.url, class: "download", download: "", text: "下载 " + f.path.split("/").pop() }),
      el("span", { class: "muted", text: formatSize(f.size) })));
  if (f.pages.length) {
    const strip = el("div", { class: "pages" });
    // Each image gets its size before it loads, so a page not yet loaded is a page-shaped box, not a sliver.
    f.pages.forEach((src, i) => {
      const [w, h] = (f.page_sizes && f.page_sizes[i]) || [0, 0];
      strip.append(el("a", { href: src, target: "_blank", title: `第 ${i + 1} 页（点击看大图）` },
        el("img", { src, alt: `${f.path} 第 ${i + 1} 页`, loading: "lazy", width: w || null, height: h || null })));
    });
    card.append(strip);
  } else {
    const box = el("div", { class: "outline" },
      el("p", { class: "muted", text: tools ? tools + "。目录：" : "缩略图尚未生成；目录：" }));
    card.append(box);
    api("/api/documents/outline?file=" + encodeURIComponent(f.path)).then((o) => {
      box.append(el("ol", {}, o.outline.map((t) => el("li", { text: t }))));
    }).catch(() => {});
  }
  return card;
}

function renderDocs(data) {
  const box = document.getElementById("docs");
  box.replaceChildren();
  box.removeAttribute("aria-busy");
  const tools = Object.values(data.tools).filter(Boolean).map((t) => t.split("：")[0]).join("；");
  for (const p of data.products) {
    const head = el("header", { class: "product-head" },
      el("h2", { text: p.label }),
      statusBadge(p),
      el("span", { class: "muted", text: p.edition_year ? `版本年份 ${p.edition_year}` : "" }));
    const list = el("div", { class: "files" }, p.files.map((f) => fileCard(f, tools)));
    if (!p.files.length) list.append(el("p", { class: "muted", text: "还没有文件：点“生成”。" }));
    box.append(el("section", { class: "product", id: "product-" + p.product }, head, list));
  }
  document.title = `文档（数据最新年份 ${data.current_year}）· 报告生成器`;
}

// The year to build: every year with figures, with the reason it can (or cannot) be built — the rule that
// check and build apply; years that cannot be built are listed but not selectable.
function renderYears(data) {
  const sel = document.getElementById("year");
  if (!sel || !data.years) return;
  const keep = sel.value;
  const dflt = data.years.find((y) => y.default);
  sel.replaceChildren(el("option", { value: "", text: dflt ? `默认（${dflt.year}年）` : "默认" }),
    ...data.years.map((y) => el("option", { value: String(y.year), disabled: !y.buildable, title: y.reason,
      text: `${y.year}年` + (y.buildable ? "" : "（不能生成）") })));
  if ([...sel.options].some((o) => o.value === keep && !o.disabled)) sel.value = keep;
  const reason = () => {
    const y = data.years.find((x) => String(x.year) === sel.value) || dflt;
    document.getElementById("year-reason").textContent = y ? `${y.year}年：${y.reason}` : "";
  };
  sel.onchange = reason;
  reason();
}

// Kept editions: pick one, download each of its files as its build published it.
function renderEditions(data) {
  const box = document.getElementById("editions");
  if (!box || !data.editions) return;
  box.hidden = !data.editions.length;
  const sel = document.getElementById("edition");
  const keep = sel.value;
  sel.replaceChildren(...data.editions.map((e) => el("option", { value: String(e.year),
    text: `${e.year}年版本` + (e.current ? "（当前版本）" : "") + `，${e.files.length} 个文件` })));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  const show = () => {
    const e = data.editions.find((x) => String(x.year) === sel.value);
    document.getElementById("edition-files").replaceChildren(el("ul", { class: "edition-list" },
      (e ? e.files : []).map((f) => el("li", {},
        el("a", { href: f.url, download: "", text: "下载 " + f.path }),
        el("span", { class: "muted", text: " " + formatSize(f.size) })))));
  };
  sel.onchange = show;
  show();
}

async function loadDocs() {
  try {
    const data = await api("/api/documents");
    renderDocs(data);
    renderYears(data);
    renderEditions(data);
    if (data.job) watchJob(data.job.id);
  } catch (e) {
    showMessage(document.getElementById("docs-msg"), "bad", "无法读取文档状态", e.problems);
  }
}

async function watchJob(id) {
  const box = document.getElementById("job");
  const button = document.getElementById("build");
  button.disabled = true;
  try {
    const job = await followJob(id, (j) => jobView(box, j));
    if (job.state === "done") await loadDocs();
  } finally {
    button.disabled = false;
  }
}

async function startBuild() {
  const msg = document.getElementById("docs-msg");
  msg.hidden = true;
  try {
    const sel = document.getElementById("year");
    const body = { force: document.getElementById("force").checked };
    if (sel && sel.value) body.year = Number(sel.value);
    const r = await api("/api/build", { json: body });
    await watchJob(r.job);
  } catch (e) {
    showMessage(msg, "bad", "无法开始生成", e.problems);
  }
}

document.getElementById("build").addEventListener("click", startBuild);
loadDocs();
