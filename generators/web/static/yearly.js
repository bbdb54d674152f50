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

// The diff as tables, from the same report (and so the same content) as the plain text below and the command
// line's JSON: the published digits, 百分点 for rates, % change for totals, the thresholds as applied.
function showDiff(d, text) {
  const box = $("diff-summary");
  box.replaceChildren();
  if (!d) { box.append(el("p", { class: "error", text: "无法对比：" }), el("pre", { class: "diff", text })); return; }
  box.append(el("p", { text: `数值有变化 ${d.changed.length} 项（复核阈值：${d.thresholds}；超过的标“需复核”），` +
    `${d.year_b}年导入新增 ${d.new.length} 项，${d.year_b}年没有的 ${d.missing.length} 项。` }));
  const scope = (x) => x.name + (x.scope ? `（${x.scope}）` : "");
  if (d.changed.length) {
    box.append(el("h3", { text: "数值有变化" }), table(["指标", "单位", `${d.year_a}年`, `${d.year_b}年`, "变化", "变化率"],
      d.changed.map((x) => ({ review: x.review, cells: [scope(x) + (x.review ? "　需复核" : ""), x.unit, x.text_a, x.text_b,
        x.change_text + (x.kind === "rate" ? "个百分点" : ""), x.change_pct_text || "—"] }))));
  }
  if (d.missing.length) {
    box.append(el("details", {}, el("summary", { text: `${d.year_b}年没有填的指标（${d.missing.length} 项，${d.year_a}年有）` }),
      table(["指标", "单位", `${d.year_a}年`], d.missing.map((x) => ({ cells: [scope(x), x.unit, x.text_a] })))));
  }
  if (d.new.length) {
    box.append(el("details", {}, el("summary", { text: `${d.year_b}年导入新增的指标（${d.new.length} 项，${d.year_a}年没有）` }),
      table(["指标", "单位", `${d.year_b}年`], d.new.map((x) => ({ cells: [scope(x), x.unit, x.text_b] })))));
  }
  if (d.other_new && d.other_new.length) {
    box.append(el("details", {}, el("summary", { text: `${d.year_b}年文章等其他来源已有的数字（${d.other_new.length} 项，不是这次导入的）` }),
      table(["指标", "单位", `${d.year_b}年`], d.other_new.map((x) => ({ cells: [scope(x), x.unit, x.text_b] })))));
  }
  $("diff-text").textContent = text;
}

// Whether the year's edition can be built after this import, and why: the same rule (and sentence) as the
// 文档 page and the command line; unpublished figures follow the unpublished rules, they never block.
function showEdition(c) {
  const e = c.edition || { buildable: true, missing: [], gaps: [], reason: "" };
  const nothing = !c.added.length && !c.replaced.length;
  const what = $("import-what");
  what.replaceChildren();
  const banner = el("div", { class: "banner " + (e.buildable ? "ok" : "warn"), id: "edition-status" },
    el("h3", { text: e.buildable ? `导入后可以生成 ${c.year} 年版本` : `导入后仍不能生成 ${c.year} 年版本` }),
    el("p", { class: "reason", text: `${c.year}年：${e.reason}` }));
  if (e.missing.length) {
    banner.append(el("p", { text: `${c.year} 年还没有数字的 ${e.missing.length} 项（文字和图表按“当年”引用）：` }),
      el("ul", { class: "missing" }, e.missing.map((m) => el("li", { text: `${m.name}（${m.unit || "无单位"}）` }))));
  }
  if (e.gaps && e.gaps.length) {
    banner.append(el("details", {}, el("summary", { text: `未公布的数字在 ${c.year} 年版本中怎样处理（${e.gaps.length} 处）` }),
      el("ul", { class: "missing" }, e.gaps.map((g) => el("li", { text: g })))));
  }
  if (c.superseded && c.superseded.length) {
    banner.append(el("p", { text: "以公报为准（文章中的记录连同来源保留，不再使用）：" }),
      el("ul", { class: "superseded" }, c.superseded.map((x) => el("li", { text: x }))));
  }
  what.append(banner);
  if (e.buildable) {
    what.append(el("p", { text: nothing ? `填报表与已导入的数字相同，无需导入；可直接生成 ${c.year} 年版本。` :
      `将把 ${c.year} 年的数字写入 ${c.target}（${counts(c)}），然后生成 ${c.year} 年版本的全部文档（之前各年的版本原样保留）。` }));
  } else if (!nothing) {
    what.append(el("p", { text: `导入：把已填的数字写入 ${c.target}（${counts(c)}）；暂不生成。` }));
  }
  const b = $("do-import");
  b.hidden = nothing && !e.buildable;
  b.textContent = e.buildable ? (c.replace ? "替换并生成该年版本" : (nothing ? "生成该年版本" : "导入并生成该年版本"))
    : (c.replace ? "只替换（暂不生成）" : "只导入（暂不生成）");
}

$("up-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = $("up-file").files[0];
  if (!file) { showMessage($("up-msg"), "bad", "请先选择填好的填报表（.xlsx）"); return; }
  const form = new FormData();
  form.append("file", file);
  form.append("replace", $("up-replace").checked ? "1" : "0");
  form.append("bulletin_wins", $("up-bulletin").checked ? "1" : "0");
  for (const id of ["diff-card", "import-card"]) $(id).hidden = true;
  $("import-msg").hidden = true;
  $("job").hidden = true;
  $("up-check").disabled = true;
  showMessage($("up-msg"), "info", "正在逐格检查……");
  try {
    checked = await api("/api/yearly/check", { method: "POST", body: form });
    checked.replace = $("up-replace").checked;
    checked.bulletin_wins = $("up-bulletin").checked;
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
    const r = await api("/api/yearly/import", { json: { upload: checked.upload, replace: checked.replace, bulletin_wins: checked.bulletin_wins, build: true } });
    showMessage($("import-msg"), "ok", r.written ? `已导入 ${r.year} 年数字到 ${r.target}：${counts(r)}。` : "没有变化，未写入。");
    if (!r.edition.buildable) {
      $("import-msg").append(el("p", { text: `${r.year}年：${r.edition.reason}。暂不生成。` }));
      return;
    }
    const job = await followJob(r.job, (j) => jobView($("job"), j));
    if (job.state === "done") $("import-msg").append(el("p", {}, "已生成，", el("a", { href: "/", text: "到“文档”页下载" }), "。"));
  } catch (err) { showMessage($("import-msg"), "bad", "导入失败，data/ 未改动", err.problems); }
  finally { $("do-import").disabled = false; }
});
