// 年度更新: workbook download, upload → problems by cell → diff → import (or replace) → build of that edition.
"use strict";

let checked = null;
const $ = (id) => document.getElementById(id);

$("wb-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const year = $("wb-year").value;
  $("wb-msg").hidden = true;
  try {
    const res = await api("/api/yearly/workbook?year=" + encodeURIComponent(year), { raw: true });
    const name = await saveResponse(res, `年度填报-${year}.xlsx`);
    showMessage($("wb-msg"), "ok", `已下载：${name}。在“${year}”列（浅黄色）填写数字后保存，再到第 2 步上传。`);
  } catch (err) { showMessage($("wb-msg"), "bad", "无法生成填报表", err.problems); }
});

function counts(r) {
  return `新增 ${r.added.length} 条，替换 ${r.replaced.length} 条，未变 ${r.unchanged.length} 条，空白跳过 ${r.skipped_empty} 格`;
}

$("up-file").addEventListener("change", () => {
  const f = $("up-file").files[0];
  $("up-name").textContent = f ? f.name : "未选择文件";
});

function table(head, rows, cls) {
  return el("table", { class: "plain diff-table " + (cls || "") },
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { class: i > 1 ? "num" : "", text: h })))),
    el("tbody", {}, rows.map((r) => el("tr", { class: r.review ? "review" : "" },
      r.cells.map((c, i) => el("td", { class: i > 1 ? "num" : "", text: c === null || c === undefined ? "" : String(c) }))))));
}

const signed = (n) => (n > 0 ? "+" : "") + n;

// The diff as tables (names in Chinese, columns that line up whatever the font), the plain text below to copy.
function showDiff(d, text) {
  const box = $("diff-summary");
  box.replaceChildren();
  if (!d) { box.append(el("p", { class: "error", text: "无法对比：" }), el("pre", { class: "diff", text })); return; }
  box.append(el("p", { text: `数值有变化 ${d.changed.length} 项（变化超过 ±${d.threshold_pct}% 的标“需复核”），` +
    `${d.year_b}年新增 ${d.new.length} 项，${d.year_b}年没有的 ${d.missing.length} 项。` }));
  const scope = (x) => x.name + (x.scope ? `（${x.scope}）` : "");
  if (d.changed.length) {
    box.append(el("h3", { text: "数值有变化" }), table(["指标", "单位", `${d.year_a}年`, `${d.year_b}年`, "变化", "变化率"],
      d.changed.map((x) => ({ review: x.review, cells: [scope(x) + (x.review ? "　需复核" : ""), x.unit, x.value_a, x.value_b,
        signed(x.change), x.change_pct === null ? "" : signed(x.change_pct) + "%"] }))));
  }
  if (d.missing.length) {
    box.append(el("details", {}, el("summary", { text: `${d.year_b}年没有填的指标（${d.missing.length} 项，${d.year_a}年有）` }),
      table(["指标", "单位", `${d.year_a}年`], d.missing.map((x) => ({ cells: [scope(x), x.unit, x.value_a] })))));
  }
  if (d.new.length) {
    box.append(el("details", {}, el("summary", { text: `${d.year_b}年新增的指标（${d.new.length} 项，${d.year_a}年没有）` }),
      table(["指标", "单位", `${d.year_b}年`], d.new.map((x) => ({ cells: [scope(x), x.unit, x.value_b] })))));
  }
  $("diff-text").textContent = text;
}

// Whether the year's documents can be made after this import; if not, which figures the texts still need.
function showEdition(c) {
  const e = c.edition || { complete: true, missing: [] };
  const nothing = !c.added.length && !c.replaced.length;
  const what = $("import-what");
  what.replaceChildren();
  if (e.complete) {
    what.append(nothing ? `填报表与已导入的数字相同，无需导入；可直接生成 ${c.year} 年版本。` :
      `将把 ${c.year} 年的数字写入 ${c.target}（${counts(c)}），然后生成 ${c.year} 年版本的全部文档。`);
  } else {
    what.append(el("div", { class: "banner warn" },
      el("h3", { text: `导入后 ${c.year} 年的数字还不全，暂时不能生成 ${c.year} 年版本` }),
      el("p", { text: `文档中按“当年”引用的下列 ${e.missing.length} 项指标，${c.year} 年还没有数字。可以先导入已填的数字，补齐后再上传一次（只需填缺的格）：` }),
      el("ul", { class: "missing" }, e.missing.map((m) => el("li", { text: `${m.name}（${m.unit || "无单位"}）` })))));
    if (!nothing) what.append(el("p", { text: `导入：把已填的数字写入 ${c.target}（${counts(c)}）；文档仍按 ${e.years[0] || "原来的"} 年版本生成。` }));
  }
  const b = $("do-import");
  b.hidden = nothing && !e.complete;
  b.textContent = e.complete ? (c.replace ? "替换并生成该年版本" : (nothing ? "生成该年版本" : "导入并生成该年版本"))
    : (c.replace ? "只替换（暂不生成）" : "只导入（暂不生成）");
}

$("up-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = $("up-file").files[0];
  if (!file) { showMessage($("up-msg"), "bad", "请先选择填好的填报表（.xlsx）"); return; }
  const form = new FormData();
  form.append("file", file);
  form.append("replace", $("up-replace").checked ? "1" : "0");
  for (const id of ["diff-card", "import-card"]) $(id).hidden = true;
  $("import-msg").hidden = true;
  $("job").hidden = true;
  $("up-check").disabled = true;
  showMessage($("up-msg"), "info", "正在逐格检查……");
  try {
    checked = await api("/api/yearly/check", { method: "POST", body: form });
    checked.replace = $("up-replace").checked;
    const warn = checked.warnings.map((w) => ({ message: w }));
    showMessage($("up-msg"), warn.length ? "warn" : "ok", `检查通过：${checked.year}年，${counts(checked)}。` +
      (warn.length ? "以下变化较大，请与公报核对：" : ""), warn);
    $("diff-card").hidden = false;
    showDiff(checked.diff, checked.diff_text);
    $("import-card").hidden = false;
    showEdition(checked);
  } catch (err) {
    showMessage($("up-msg"), "bad", "填报表有误，未导入（请按单元格改正后重新上传）", err.problems);
  } finally { $("up-check").disabled = false; }
});

$("do-import").addEventListener("click", async () => {
  if (!checked) return;
  $("do-import").disabled = true;
  try {
    const r = await api("/api/yearly/import", { json: { upload: checked.upload, replace: checked.replace, build: true } });
    showMessage($("import-msg"), "ok", r.written ? `已导入 ${r.year} 年数字到 ${r.target}：${counts(r)}。` : "没有变化，未写入。");
    if (!r.edition.complete) {
      $("import-msg").append(el("p", { text: `${r.year} 年的数字还不全（缺 ${r.edition.missing.length} 项），暂不生成该年版本；补齐后再上传填报表。` }));
      return;
    }
    const job = await followJob(r.job, (j) => jobView($("job"), j));
    if (job.state === "done") $("import-msg").append(el("p", {}, "已生成，", el("a", { href: "/", text: "到“文档”页下载" }), "。"));
  } catch (err) { showMessage($("import-msg"), "bad", "导入失败，数据未改动", err.problems); }
  finally { $("do-import").disabled = false; }
});
