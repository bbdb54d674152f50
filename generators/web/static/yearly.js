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

$("up-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = $("up-file").files[0];
  if (!file) { showMessage($("up-msg"), "bad", "请先选择填好的填报表（.xlsx）"); return; }
  const form = new FormData();
  form.append("file", file);
  form.append("replace", $("up-replace").checked ? "1" : "0");
  for (const id of ["diff-card", "import-card"]) $(id).hidden = true;
  $("up-check").disabled = true;
  showMessage($("up-msg"), "info", "正在逐格检查……");
  try {
    checked = await api("/api/yearly/check", { method: "POST", body: form });
    checked.replace = $("up-replace").checked;
    const warn = checked.warnings.map((w) => ({ message: w }));
    showMessage($("up-msg"), "ok", `检查通过：${checked.year}年，${counts(checked)}。` + (warn.length ? "以下变化较大，请复核：" : ""), warn);
    $("diff-card").hidden = false;
    $("diff-text").textContent = checked.diff_text;
    const d = checked.diff;
    $("diff-summary").textContent = d ? `数值有变化 ${d.changed.length} 项，新增 ${d.new.length} 项，缺少 ${d.missing.length} 项，需复核 ${d.review.length} 项。` : "";
    const nothing = !checked.added.length && !checked.replaced.length;
    $("import-card").hidden = false;
    $("import-what").textContent = nothing ? "填报表与已导入的数字相同，无需导入；可直接生成该年版本。" :
      `将把 ${checked.year} 年的数字写入 ${checked.target}（${counts(checked)}），然后生成 ${checked.year} 年版本的全部文档。`;
    $("do-import").textContent = checked.replace ? "替换并生成该年版本" : "导入并生成该年版本";
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
    let jobId = r.job;
    if (!jobId) jobId = (await api("/api/build", { json: { year: r.year } })).job;
    const job = await followJob(jobId, (j) => jobView($("job"), j));
    if (job.state === "done") $("import-msg").append(el("p", {}, "已生成，", el("a", { href: "/", text: "到“文档”页下载" }), "。"));
  } catch (err) { showMessage($("import-msg"), "bad", "导入失败，data/ 未改动", err.problems); }
  finally { $("do-import").disabled = false; }
});
