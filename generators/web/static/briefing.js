// 简报 editor: the basic fields are drawn from the briefing's JSON schema (labels, widgets, presets), the rest from
// `spec`; checks run as you type, but a field still to be filled in is asked for only once it was left or sent.
"use strict";

const KINDS = { p: "段落", heading: "小标题", points: "要点", chart: "图库图表", picked: "用数字做图表", use: "文章段落", photo: "图片" };
const HEADS = { chart: "图表（图库）", picked: "图表（所选数字）" };
const OTHER_KINDS = { quote: "引文", table: "表格", figures: "关键数据表" };  // shown, kept as they are
let spec = blankSpec();
let original = "";
let checkTimer = null;
let schema = null;  // /api/schema/briefing
const touched = new Set();  // fields the user has left
let submitted = false;  // 生成, 预览 or 保存 was pressed
let lastCheck = null;

function blankSpec() {
  return { title: "", preset: "简报", keyfigures: [], sections: [{ title: "", blocks: [{ p: "" }] }] };
}

const $ = (id) => document.getElementById(id);
const WIDGETS = ["text", "wide", "select", "year", "number", "check", "lines"];
let defaults = {};  // /api/schema/briefing/defaults: 版式 → field → what a spec leaving it out takes (settings.yaml)

const presetOf = () => spec.preset || schema.properties.preset.default;
const omitted = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length);
// What the field prints when the spec leaves it out: the settings' default of this 版式, else the schema's.
function defaultOf(key) {
  const own = (defaults[presetOf()] || {})[key];
  return own !== undefined ? own : schema.properties[key].default;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The schema's fields of the basic form for the chosen preset, in the schema's order.
function basicFields() {
  const preset = presetOf();
  return Object.entries(schema.properties).filter(([, p]) => WIDGETS.includes(p.widget)
    && (!p.presets || p.presets.includes(preset)));
}

// ---- drawing ------------------------------------------------------------------------------------
// A field's label in the chosen 版式 (issuer is the 简报's 编印单位 and the 公文's 发文机关署名), else its title.
const labelOf = (prop) => (prop.labels || {})[presetOf()] || prop.title;

// The placeholder of an empty field: its default ("默认：…", what will print), else the schema's hint.
function hint(key, prop) {
  const d = (defaults[presetOf()] || {})[key];
  if (omitted(d)) return (prop.placeholders || {})[presetOf()] || prop.placeholder || "";
  return "默认：" + (Array.isArray(d) ? d.join("；") : String(d));
}

function setField(key, value) {
  if (omitted(value)) delete spec[key]; else spec[key] = value;
  changed();
}

function selectControl(id, key, prop) {
  const dflt = (defaults[presetOf()] || {})[key];
  const choices = prop.widget === "year"
    ? [["", "最新（默认）"], ...Catalogue.data.years.map((y) => [String(y), y + "年"])]
    : prop.choices.map(([v, label]) => [v, v === "" && !omitted(dflt)  // the blank choice: the default applies
      ? "默认：" + ((prop.choices.find(([c]) => c === String(dflt)) || [, String(dflt)])[1]) : label]);
  const control = el("select", { id, "data-field": key }, choices.map(([v, label]) => el("option", { value: v, text: label })));
  const blank = choices.some(([v]) => v === "");
  control.value = omitted(spec[key]) ? (blank ? "" : prop.default || "") : String(spec[key]);
  control.addEventListener("change", (e) => {
    const v = e.target.value;
    if (key === "preset") { spec.preset = v; drawBasic(); changed(); return; }  // another preset, other fields
    setField(key, prop.widget === "year" && v ? Number(v) : v);
  });
  return control;
}

function basicControl(id, key, prop) {
  if (prop.widget === "select" || prop.widget === "year") return selectControl(id, key, prop);
  if (prop.widget === "check") {
    const d = defaultOf(key);
    return el("input", { id, type: "checkbox", "data-field": key, checked: omitted(spec[key]) ? Boolean(d) : Boolean(spec[key]),
      onchange: (e) => setField(key, e.target.checked) });
  }
  if (prop.widget === "number") {
    const range = (prop.anyOf || [prop]).find((t) => t.type === "integer") || {};
    return el("input", { id, type: "number", step: "1", min: range.minimum, max: range.maximum, inputmode: "numeric",
      "data-field": key, value: omitted(spec[key]) ? "" : String(spec[key]), placeholder: hint(key, prop),
      oninput: (e) => setField(key, e.target.value === "" ? null : Number(e.target.value)) });
  }
  if (prop.widget === "lines") {
    const area = el("textarea", { id, rows: 3, "data-field": key, placeholder: hint(key, prop),
      oninput: (e) => setField(key, e.target.value.split("\n").map((t) => t.trim()).filter(Boolean)) });
    area.value = (spec[key] || []).join("\n");
    return area;
  }
  return el("input", { id, "data-field": key, value: spec[key] || "", placeholder: hint(key, prop),
    oninput: (e) => setField(key, e.target.value) });
}

function drawBasic() {
  const box = $("basic");
  box.replaceChildren();
  const required = schema.required || [];
  for (const [key, prop] of basicFields()) {
    const id = "f-" + key;
    const control = basicControl(id, key, prop);
    const wide = prop.widget === "wide" || prop.widget === "lines";
    const label = prop.widget === "check"
      ? el("label", { class: "check", for: id }, control, labelOf(prop))
      : el("label", { for: id }, labelOf(prop) + " ", required.includes(key) ? el("em", { text: "必填" }) : null);
    box.append(el("div", { class: "field" + (wide ? " wide" : "") + (prop.widget === "check" ? " tick" : ""), "data-wrap": key },
      label, prop.widget === "check" ? null : control));
  }
  setTimeout(proposeNumber, 0);
}

function moveButtons(list, i, redraw, what) {
  const move = (d) => { const j = i + d; if (j < 0 || j >= list.length) return; [list[i], list[j]] = [list[j], list[i]]; redraw(); changed(); };
  return el("span", { class: "tools" },
    el("button", { type: "button", title: `上移${what}`, "aria-label": `上移${what}`, disabled: i === 0, onclick: () => move(-1), text: "↑" }),
    el("button", { type: "button", title: `下移${what}`, "aria-label": `下移${what}`, disabled: i === list.length - 1, onclick: () => move(1), text: "↓" }),
    el("button", { type: "button", class: "danger", title: `删除${what}`, "aria-label": `删除${what}`,
      onclick: () => { list.splice(i, 1); redraw(); changed(); }, text: "删除" }));
}

function textInput(obj, key, path, opts = {}) {
  const attrs = { "data-field": path, value: obj[key] || "", placeholder: opts.placeholder || "",
    oninput: (e) => { obj[key] = e.target.value; changed(); } };
  const node = opts.area ? el("textarea", Object.assign(attrs, { rows: opts.rows || 4 })) : el("input", attrs);
  if (opts.area) node.value = obj[key] || "";
  return node;
}

function fieldBox(label, path, ...controls) {
  return el("div", { class: "field", "data-wrap": path }, el("label", {}, label), ...controls);
}

function drawKeyfigures() {
  const box = $("keyfigures");
  box.replaceChildren();
  spec.keyfigures.forEach((kf, i) => {
    const path = `keyfigures[${i + 1}]`;
    box.append(el("div", { class: "row kf", "data-wrap": path },
      el("div", { class: "kf-main" },
        el("div", { class: "ref", "data-field": path + ".ref", text: describeRef(kf.ref) }),
        fieldBox("显示名称", path + ".label", textInput(kf, "label", path + ".label", { placeholder: "默认用指标名称" })),
        el("div", { class: "growth", "data-field": path + ".growth" },
          el("span", { class: "muted", text: kf.growth ? "增速：" + describeRef(kf.growth) : "" }),
          el("button", { type: "button", text: kf.growth ? "更换增速" : "＋ 增速",
            onclick: () => pickIndicator("选择增速指标", (ref) => { kf.growth = ref; drawKeyfigures(); changed(); }) }),
          kf.growth ? el("button", { type: "button", text: "去掉增速", onclick: () => { delete kf.growth; drawKeyfigures(); changed(); } }) : null)),
      moveButtons(spec.keyfigures, i, drawKeyfigures, "这项关键数据")));
  });
}

function blockBody(b, path) {
  if ("p" in b) {
    const box = richText(b, "p", path + ".p", "输入文字；数字请点“插入数字”从指标中选择");
    return [box, el("div", { class: "inline-tools" },
      el("button", { type: "button", class: "insert-figure", text: "＋ 插入数字",
        onclick: () => pickIndicator("插入数字", (ref) => box.insertFigure(ref)) }))];
  }
  if ("heading" in b) return [textInput(b, "heading", path + ".heading")];
  if ("points" in b) {
    const shadow = { text: (b.points || []).join("\n") };
    const area = textInput(shadow, "text", path + ".points", { area: true, rows: 3, placeholder: "每行一条要点" });
    area.addEventListener("input", () => { b.points = shadow.text.split("\n").filter((t) => t.trim()); });
    return [area];
  }
  if ("chart" in b && b.chart && typeof b.chart === "object") {
    return [pickedChartBody(b, path), fieldBox("图题（可不填）", path + ".caption", textInput(b, "caption", path + ".caption"))];
  }
  if ("chart" in b) {
    return [el("div", { class: "chart-pick", "data-field": path + ".chart" },
      b.chart ? el("img", { src: `/api/charts/${encodeURIComponent(b.chart)}.png`, alt: chartTitle(b.chart) }) : null,
      el("span", { text: chartTitle(b.chart) }),
      el("button", { type: "button", text: b.chart ? "更换图表" : "选择图表",
        onclick: () => pickChart((id) => { b.chart = id; drawSections(); changed(); }) })),
      fieldBox("图题（可不填）", path + ".caption", textInput(b, "caption", path + ".caption"))];
  }
  if ("use" in b) {
    return [el("div", { class: "use-pick", "data-field": path + ".use" },
      el("span", { text: blockLabel(b.use) }),
      el("button", { type: "button", text: b.use ? "更换段落" : "选择段落",
        onclick: () => pickBlock((id) => { b.use = id; drawSections(); changed(); }) }))];
  }
  if ("photo" in b) {
    const upload = el("input", { type: "file", class: "hidden-file", accept: ".png,.jpg,.jpeg,image/png,image/jpeg",
      "data-field": path + ".image", onchange: (e) => uploadPhoto(e.target, b, path) });
    return [fieldBox("图片说明", path + ".photo", textInput(b, "photo", path + ".photo")),
      el("div", { class: "photo-pick" },
        b.image ? el("img", { src: "/images/" + encodeURIComponent(b.image), alt: b.photo || b.image }) : null,
        el("span", { class: "muted", text: b.image ? "已上传：" + b.image : "尚未上传（生成时显示“图片待补充”占位框）" }),
        el("label", { class: "filebtn" }, upload, el("span", { text: b.image ? "换一张图片…" : "上传图片…" })),
        el("small", { class: "muted", text: "JPG 或 PNG，10 MB 以内" }))];
  }
  if ("quote" in b) {
    return [textInput(b, "quote", path + ".quote", { area: true, rows: 3 }),
      fieldBox("出处（说话人）", path + ".speaker", textInput(b, "speaker", path + ".speaker", { placeholder: "如：县发改局负责人" }))];
  }
  if (Array.isArray(b.table) || Array.isArray(b.figures)) {
    const items = (b.table || b.figures).map((x) => describeRef(typeof x === "string" ? x : x.ref));
    return [el("ul", { class: "ref-list" }, items.map((t) => el("li", { text: t }))),
      b.caption !== undefined ? fieldBox("表题", path + ".caption", textInput(b, "caption", path + ".caption")) : null,
      el("p", { class: "muted", text: "表中的指标不能在表单中修改（保存时原样保留）；可以移动或删除整块。" })];
  }
  return [el("pre", { class: "other", text: JSON.stringify(b, null, 1) }),
    el("p", { class: "muted", text: "此类内容块不能在表单中编辑，保存时原样保留。" })];
}

function kindOf(b) {
  if (b.chart && typeof b.chart === "object") return "picked";
  return Object.keys(KINDS).find((k) => k in b) || Object.keys(b).find((k) => !["id", "caption", "speaker", "image"].includes(k)) || "?";
}

function drawSections() {
  const box = $("sections");
  box.replaceChildren();
  spec.sections.forEach((sec, i) => {
    const path = `sections[${i + 1}]`;
    const blocks = el("div", { class: "blocks" });
    sec.blocks.forEach((b, j) => {
      const bp = `${path}.blocks[${j + 1}]`;
      blocks.append(el("div", { class: "block kind-" + kindOf(b), "data-wrap": bp, "data-field": bp },
        el("div", { class: "block-head" }, el("span", { class: "kind", text: HEADS[kindOf(b)] || KINDS[kindOf(b)] || OTHER_KINDS[kindOf(b)] || kindOf(b) }),
          moveButtons(sec.blocks, j, drawSections, "这个内容块")),
        ...blockBody(b, bp)));
    });
    const adders = el("div", { class: "adders" }, el("span", { class: "muted", text: "添加：" }),
      Object.entries(KINDS).map(([k, label]) => el("button", { type: "button", "data-add": k, text: label,
        onclick: () => addBlock(sec, k) })));
    box.append(el("fieldset", { class: "card section", "data-wrap": path },
      el("legend", { text: `第 ${i + 1} 部分` }),
      el("div", { class: "section-head" },
        fieldBox(el("span", {}, "部分标题 ", el("em", { text: "必填" })), path + ".title",
          textInput(sec, "title", path + ".title", { placeholder: "如：经济运行总体情况" })),
        moveButtons(spec.sections, i, drawSections, "这个部分")),
      blocks, adders));
  });
}

function addBlock(sec, kind) {
  const fresh = { p: { p: "" }, heading: { heading: "" }, points: { points: [] }, photo: { photo: "" } }[kind];
  const done = (b) => { sec.blocks.push(b); drawSections(); changed(); };
  if (kind === "chart") return pickChart((id) => done({ chart: id }));
  if (kind === "picked") return pickFigures("为图表选数字", [], (refs) => done({ chart: newPickedChart(refs) }));
  if (kind === "use") return pickBlock((id) => done({ use: id }));
  done(fresh);
}

function drawAll() {
  drawBasic();
  drawKeyfigures();
  drawSections();
}

// ---- talking to the server ---------------------------------------------------------------------
// The spec as saved: fields of another 版式 left out, and so is a basic field left at its default (the
// settings' default keeps applying, and the file stays short).
function cleaned() {
  const drop = (o, keep) => Object.fromEntries(Object.entries(o).filter(([k, v]) => keep.includes(k) || (v !== "" && v !== null && v !== undefined)));
  const shown = new Set(basicFields().map(([k]) => k));
  const dropped = (k) => {
    const p = schema.properties[k];
    if (!p || !WIDGETS.includes(p.widget) || k === "preset") return false;
    return !shown.has(k) || omitted(spec[k]) || same(spec[k], defaultOf(k));
  };
  const out = drop(Object.fromEntries(Object.entries(spec).filter(([k]) => !dropped(k))), ["title", "sections"]);
  out.keyfigures = (spec.keyfigures || []).map((k) => drop(k, ["ref"]));
  if (!out.keyfigures.length) delete out.keyfigures;
  out.sections = spec.sections.map((s) => Object.assign(drop(s, ["title"]), {
    blocks: s.blocks.map((b) => drop(b, [kindOf(b) === "picked" ? "chart" : kindOf(b)])) }));
  return out;
}

function fieldNode(path) {
  let p = path;
  while (p) {
    const node = document.querySelector(`[data-wrap="${CSS.escape(p)}"]`) || document.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (node) return node;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  return null;
}

// Marks of the live check and marks of the last action (生成/保存/上传) are cleared separately, so a refused
// save does not wipe the hand-typed-number warnings, and a new check does not wipe why the save was refused.
function clearMarks(source = "check") {
  document.querySelectorAll(`.msg.from-${source}`).forEach((n) => {
    const host = n.parentElement;
    n.remove();
    if (host && !host.querySelector(":scope > .msg.problem")) host.classList.remove("has-problem");
    if (host && !host.querySelector(":scope > .msg.warning")) host.classList.remove("has-warning");
  });
}

const isControl = (node) => ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName) || node.classList.contains("rich");

function mark(path, kind, message, extra, source = "check") {
  let node = fieldNode(path) || $("form");
  if (isControl(node)) node = node.parentElement;
  node.classList.add(kind === "problem" ? "has-problem" : "has-warning");
  node.append(el("div", { class: `msg ${kind} from-${source}`, role: kind === "problem" ? "alert" : null }, message, extra || null));
}

const escapeRe = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The typed number (and its unit, which the reference prints itself) becomes `{ref}`.
function replaceNumber(path, number, ref, unit) {
  const m = /^sections\[(\d+)\]\.blocks\[(\d+)\]\.(\w+)(?:\[(\d+)\])?$/.exec(path);
  if (!m) return;
  const b = spec.sections[m[1] - 1].blocks[m[2] - 1];
  const tail = unit ? `(?:${escapeRe(unit)})?` : "";
  const swap = (t) => t.replace(new RegExp(`(?<![\\d.{@])${escapeRe(number)}(?![\\d.])${tail}`), `{${ref}}`);
  if (m[4]) b.points[m[4] - 1] = swap(b.points[m[4] - 1]); else b[m[3]] = swap(b[m[3]]);
  drawSections();
  changed();
}

// A field still to be filled in is asked for once the user has left it (or anything inside it) or sent the form.
function asked(field) {
  if (submitted) return true;
  for (const t of touched) if (t === field || t.startsWith(field + ".") || t.startsWith(field + "[")) return true;
  return false;
}

function showCheck(result) {
  lastCheck = result;
  clearMarks();
  for (const p of result.problems) if (p.kind !== "missing" || asked(p.field)) mark(p.field, "problem", p.message);
  for (const w of result.warnings) {
    const fixes = w.suggestions.map((s) => el("button", { type: "button", class: "fix",
      text: `改为引用“${s.name}”（${s.period}年：${s.value}${s.unit}）`, title: `把手写的 ${w.number} 换成数据中的“${s.name}”`,
      onclick: () => replaceNumber(w.field, w.number, s.ref, s.unit) }));
    mark(w.field, "warning", w.message, fixes.length ? el("div", { class: "fixes" }, fixes) : null);
  }
  for (const [path, text] of Object.entries(result.rendered)) {
    let node = document.querySelector(`[data-wrap="${CSS.escape(path)}"]`) || fieldNode(path);
    if (node && isControl(node)) node = node.parentElement;
    if (node) node.append(el("div", { class: "msg rendered from-check" }, el("b", { text: "将印为：" }), text));
  }
  return result.problems.length === 0;
}

let checkAsked = 0;  // only the latest answer is shown (an earlier check may come back after a later one)
async function check() {
  const asked = ++checkAsked;
  try {
    const result = await api("/api/briefings/check", { json: cleaned() });
    return asked === checkAsked ? showCheck(result) : false;
  } catch (e) {
    if (asked === checkAsked) status("bad", "检查失败", e.problems);
    return false;
  }
}

function changed() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 500);
  clearTimeout(numberTimer);
  numberTimer = setTimeout(proposeNumber, 300);
}

// The number an empty 期号 (简报) or 发文字号 (公文) gets, from the register ("留空则编为第5期"); a typed number that
// another briefing holds is named under the field. Read-only: "生成 Word" and the build record the number printed.
let numberTimer = null;
let numberAsked = 0;  // only the latest answer is shown (an earlier request may come back later)
async function proposeNumber() {
  const asked = ++numberAsked;
  const preset = presetOf();
  const key = preset === "简报" ? "number" : preset === "公文" ? "doc_number" : null;
  const input = key && $("f-" + key);
  if (!input) return;
  const value = (k) => omitted(spec[k]) ? defaultOf(k) : spec[k];
  const query = { preset, bulletin: value("bulletin") || "", supplement: Boolean(value("supplement")),
    code: value("code") || "", doc_number: preset === "公文" ? spec.doc_number || "" : "", date: value("date") || "", name: ($("f-name") || { value: "" }).value.trim() };
  if (preset === "简报" && !omitted(spec.number)) query.number = spec.number;  // a hidden 简报 field is not the 公文's
  if (!omitted(spec.year)) query.year = spec.year;
  const wrap = input.closest(".field");
  let note = wrap.querySelector(".number-note");
  if (!note) { note = el("div", { class: "number-note hint" }); wrap.append(note); }
  try {
    const r = await api("/api/numbers/next?" + new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])));
    if (asked !== numberAsked) return;
    note.className = "number-note hint";
    note.textContent = "";
    if (!input.dataset.hint) input.dataset.hint = input.placeholder;  // the "默认：…" placeholder, when no number
    const proposed = r.number !== null && r.number !== undefined && !r.explicit;
    input.placeholder = proposed ? r.hint || ("留空则编为" + r.text) : input.dataset.hint;
    if (r.explicit && r.recorded) note.textContent = "已登记：" + r.text;
  } catch (e) {
    if (asked !== numberAsked) return;
    note.className = "number-note hint bad";
    note.textContent = (e.problems || []).map((p) => p.message).join("；");
  }
}

function status(kind, title, problems) { showMessage($("status"), kind, title, problems); }

async function withButton(id, busy, work) {
  const b = $(id);
  const label = b.textContent;
  b.disabled = true;
  b.textContent = busy;
  try { await work(); } finally { b.disabled = false; b.textContent = label; }
}

function send() {
  submitted = true;
  if (lastCheck) showCheck(lastCheck);
}

function failed(title, e) {
  clearMarks("action");
  if (e.problems) for (const p of e.problems) if (p.field) mark(p.field, "problem", p.message, null, "action");
  status("bad", title, e.problems || [{ message: String(e) }]);
}

function saveName() {
  const name = $("f-name").value.trim();  // the server makes it safe (spaces, dots)
  return name ? "?name=" + encodeURIComponent(name) : "";
}

async function renderWord() {
  send();
  await withButton("render", "正在生成……", async () => {
    try {
      clearMarks("action");
      const res = await api("/api/briefings/render" + saveName(), { json: cleaned(), raw: true });
      const name = await saveResponse(res, "简报.docx");
      const number = decodeURIComponent(res.headers.get("X-Reportgen-Number") || "");
      status("ok", `已生成并下载：${name}（在浏览器的“下载”文件夹中）` + (number ? `；编号 ${number} 已登记，不会再给别的简报` : ""));
      if (number) proposeNumber();
    } catch (e) { failed("没有生成：请按提示改正", e); }
  });
}

// Every page at reading size, one at a time, with page navigation (the proofreading view).
async function previewPages() {
  send();
  await withButton("preview", "正在预览（几秒钟）……", async () => {
    try {
      clearMarks("action");
      const r = await api("/api/briefings/preview" + saveName(), { json: cleaned() });
      $("status").hidden = true;
      Proof.open(r.pages);
    } catch (e) { failed("无法预览", e); }
  });
}

const Proof = {
  pages: [], at: 0,
  open(pages) {
    this.pages = pages;
    this.at = 0;
    $("proof-strip").replaceChildren(...pages.map((src, i) => el("button", { type: "button", class: "proof-thumb",
      "aria-label": `第 ${i + 1} 页`, onclick: () => this.show(i) }, el("img", { src, alt: "", loading: "lazy" }),
      el("span", { text: String(i + 1) }))));
    this.show(0);
    $("proof").showModal();
    $("proof-next").focus();
  },
  show(i) {
    if (i < 0 || i >= this.pages.length) return;
    this.at = i;
    $("proof-page").src = this.pages[i];
    $("proof-page").alt = `简报第 ${i + 1} 页`;
    $("proof-where").textContent = `第 ${i + 1} 页，共 ${this.pages.length} 页`;
    $("proof-prev").disabled = i === 0;
    $("proof-next").disabled = i === this.pages.length - 1;
    document.querySelectorAll(".proof-thumb").forEach((t, n) => t.classList.toggle("on", n === i));
    $("proof-view").scrollTop = 0;
  },
  init() {
    $("proof-prev").onclick = () => this.show(this.at - 1);
    $("proof-next").onclick = () => this.show(this.at + 1);
    document.addEventListener("keydown", (e) => {  // on the page: a disabled button at the end holds no focus
      if (!$("proof").open) return;
      if (["ArrowRight", "PageDown"].includes(e.key)) { e.preventDefault(); this.show(this.at + 1); }
      if (["ArrowLeft", "PageUp"].includes(e.key)) { e.preventDefault(); this.show(this.at - 1); }
    });
  },
};

async function save() {
  send();
  await withButton("save", "正在保存……", async () => {
    const name = $("f-name").value.trim();
    const replacing = $("overwrite").checked || (name && name === original);
    if (replacing && !confirm(`将用表单内容重写简报“${name}”（原来文件中的注释不会保留）。确定保存吗？`)) return;
    try {
      clearMarks("action");
      const ready = $("ready").checked;
      const r = await api("/api/briefings/save", { json: { name, spec: cleaned(), overwrite: replacing, status: ready ? "成品" : "草稿" } });
      original = r.saved;
      $("f-name").value = r.saved;
      spec.status = r.status;
      status("ok", r.status === "成品" ? `已保存为成品：“${r.saved}”（以后每次生成文档时一起生成）`
        : `已保存为草稿：“${r.saved}”（在“打开”中可以找到；不随文档一起生成）`);
      await loadList(r.saved);
    } catch (e) { failed("没有保存：请按提示改正", e); }
  });
}

async function uploadPhoto(input, b, path) {
  const file = input.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  try {
    const r = await api("/api/images", { method: "POST", body: form });
    b.image = r.image;
    drawSections();
    changed();
  } catch (e) {
    clearMarks("action");
    for (const p of e.problems) mark(path + ".image", "problem", p.message, null, "action");
  }
}

async function openSpec(name) {
  spec = name ? await api("/api/briefings/" + encodeURIComponent(name)) : blankSpec();
  spec.keyfigures = spec.keyfigures || [];
  spec.sections = spec.sections || [];
  original = name;
  $("f-name").value = name;
  $("overwrite").checked = false;
  $("ready").checked = Boolean(name) && spec.status !== "草稿";
  touched.clear();
  submitted = false;
  lastCheck = null;
  drawAll();
  clearMarks();
  clearMarks("action");
  $("status").hidden = true;
  check();  // problems known at once; a field still to be filled in is asked for once it was left
}

async function loadList(selected) {
  const list = await api("/api/briefings");
  const sel = $("open");
  sel.replaceChildren(el("option", { value: "", text: "新建简报" }),
    ...list.map((b) => el("option", { value: b.name, text: `${b.title}（${b.status === "草稿" ? "草稿 · " : ""}${b.name}）` })));
  sel.value = selected || "";
}

async function init() {
  try {
    await loadCatalogue();
    [schema, defaults] = await Promise.all([api("/api/schema/briefing"), api("/api/schema/briefing/defaults")]);
    await loadList("");
  } catch (e) { status("bad", "无法读取指标目录", e.problems); return; }
  $("form").addEventListener("focusout", (e) => {  // leaving a field: now it may ask to be filled in
    const node = e.target.closest && e.target.closest("[data-field]");
    if (!node || (e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest("#picker"))) return;
    const waiting = lastCheck ? lastCheck.problems.filter((p) => p.kind === "missing" && !asked(p.field)) : [];
    touched.add(node.dataset.field);
    // redrawn only when a request to fill in now shows: a redraw under a click would swallow the click
    if (waiting.some((p) => asked(p.field))) showCheck(lastCheck);
  });
  $("open").addEventListener("change", (e) => openSpec(e.target.value).catch((x) => status("bad", "无法打开", x.problems)));
  $("add-kf").addEventListener("click", () => pickIndicator("添加关键数据", (ref, ind) => {
    spec.keyfigures.push({ ref, label: ind.name }); drawKeyfigures(); changed(); }));
  $("add-section").addEventListener("click", () => { spec.sections.push({ title: "", blocks: [] }); drawSections(); });
  $("render").addEventListener("click", renderWord);
  $("preview").addEventListener("click", previewPages);
  Proof.init();
  $("save").addEventListener("click", save);
  $("f-name").addEventListener("input", () => {  // a saved briefing keeps its number: the proposal depends on the name
    clearTimeout(numberTimer); numberTimer = setTimeout(proposeNumber, 300); });
  const wanted = new URLSearchParams(location.search).get("name") || "";
  await openSpec(wanted).catch(() => openSpec(""));
  $("open").value = original;
  document.body.dataset.ready = "1";
}

init();
