// 年度更新 · 先读统计公报: upload a bulletin → review each value against its sentence (accept / correct / blank)
// → the pre-filled workbook goes into step 2's ordinary check (the same form, #up-file / #up-form), then import.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let reading = null;

  $("bl-file").addEventListener("change", () => {
    const f = $("bl-file").files[0];
    $("bl-name").textContent = f ? f.name : "未选择文件";
  });

  // The sentence with the number highlighted (text nodes only: nothing of the bulletin is parsed as HTML).
  function quote(row) {
    const td = el("td", { class: "quote" });
    if (row.found && row.start >= 0 && row.end <= row.quote.length) {
      td.append(row.quote.slice(0, row.start), el("mark", { text: row.quote.slice(row.start, row.end) }),
        row.quote.slice(row.end));
    } else td.append(row.quote);
    return td;
  }

  function reviewRow(row) {
    const value = el("input", { class: "bl-value", type: "text", value: row.value || "", "aria-label": row.name + " 数值" });
    const unit = el("input", { class: "bl-unit", type: "text", value: row.value_unit, "aria-label": row.name + " 单位" });
    const action = el("select", { class: "bl-action", "aria-label": row.name + " 处理" },
      el("option", { value: "accept", text: row.found ? "采用" : "留空（公报中未找到）" }),
      el("option", { value: "correct", text: "改填" }),
      el("option", { value: "blank", text: "留空" }));
    const tr = el("tr", { class: row.found ? "" : "blank", dataset: { indicator: row.indicator } },
      el("td", { text: row.name }), el("td", {}, value), el("td", {}, unit), quote(row), el("td", {}, action));
    const edited = () => {
      const same = value.value.trim() === (row.value || "") && unit.value.trim() === row.value_unit;
      action.value = same ? "accept" : "correct";
      tr.classList.toggle("changed", !same);
    };
    value.addEventListener("input", edited);
    unit.addEventListener("input", edited);
    action.addEventListener("change", () => {
      if (action.value === "blank") value.value = "";
      tr.classList.toggle("changed", action.value !== "accept");
    });
    return tr;
  }

  $("bl-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("bl-file").files[0];
    if (!file) { showMessage($("bl-msg"), "bad", "请先选择统计公报文件"); return; }
    const form = new FormData();
    form.append("file", file);
    form.append("year", $("bl-year").value);
    $("bl-review").hidden = true;
    $("bl-read").disabled = true;
    showMessage($("bl-msg"), "info", "正在读取公报……");
    try {
      reading = await api("/api/yearly/bulletin", { method: "POST", body: form });
      showMessage($("bl-msg"), "ok", `已读取《${reading.title}》：找到 ${reading.found} 个指标的数字，` +
        `${reading.blank} 个公报中未找到（留空；公报确有公布的请改填，或把公报的说法加到 data/bulletin-aliases.yaml）。` +
        "请逐行对照原文核对，再点“用核对后的数字检查”。");
      $("bl-table").tBodies[0].replaceChildren(...reading.rows.map(reviewRow));
      $("bl-review").hidden = false;
    } catch (err) {
      reading = null;
      showMessage($("bl-msg"), "bad", "无法读取这份公报，未写入任何文件", err.problems);
    } finally { $("bl-read").disabled = false; }
  });

  function decisions() {
    const out = {};
    for (const tr of $("bl-table").tBodies[0].rows) {
      const action = tr.querySelector(".bl-action").value;
      out[tr.dataset.indicator] = { action, value: tr.querySelector(".bl-value").value.trim(),
        unit: tr.querySelector(".bl-unit").value.trim() };
    }
    return out;
  }

  $("bl-use").addEventListener("click", async () => {
    if (!reading) return;
    $("bl-use").disabled = true;
    try {
      const res = await api("/api/yearly/bulletin/workbook",
        { json: { upload: reading.upload, year: reading.year, decisions: decisions() }, raw: true });
      const blob = await res.blob();
      const name = `年度填报-${reading.year}-按公报.xlsx`;
      const link = $("bl-download");
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.hidden = false;
      // Step 2 as if the statistician had chosen this workbook: the ordinary check, diff and import follow.
      const dt = new DataTransfer();
      dt.items.add(new File([blob], name, { type: blob.type }));
      $("up-file").files = dt.files;
      $("up-file").dispatchEvent(new Event("change"));
      $("up-form").requestSubmit();
      $("up-form").scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (err) {
      showMessage($("bl-msg"), "bad", "核对表有误，未生成填报表", err.problems);
    } finally { $("bl-use").disabled = false; }
  });
})();
