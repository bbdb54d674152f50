// Shared helpers of the 工作台 pages: fetch JSON with located problems, build DOM nodes, downloads.
"use strict";

class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => p.message).join("\n"));
    this.status = status;
    this.problems = problems;
  }
}

async function api(path, options = {}) {
  const opts = Object.assign({ credentials: "same-origin", headers: {} }, options);
  if (opts.json !== undefined) {
    opts.method = opts.method || "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
    delete opts.json;
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    throw new ApiError(0, [{ field: "", message: "无法连接工作台：服务可能已关闭，请重新双击“启动工作台”。" }]);
  }
  const type = res.headers.get("content-type") || "";
  if (!res.ok) {
    let problems = [{ field: "", message: `请求失败（${res.status}）` }];
    if (type.includes("json")) {
      const body = await res.json();
      if (body && body.problems) problems = body.problems;
    }
    throw new ApiError(res.status, problems);
  }
  if (opts.raw) return res;
  return type.includes("json") ? res.json() : res.blob();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function problemList(problems) {
  return el("ul", { class: "problems" }, problems.map((p) => el("li", { text: p.message })));
}

function showMessage(box, kind, title, problems) {
  box.replaceChildren();
  box.className = "banner " + kind;
  box.hidden = false;
  box.append(el("h3", { text: title }));
  if (problems && problems.length) box.append(problemList(problems));
}

async function saveResponse(res, fallback) {
  const blob = await res.blob();
  const cd = res.headers.get("content-disposition") || "";
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallback;
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
  return name;
}

function formatSize(n) {
  if (n === null || n === undefined) return "";
  if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
  return (n / 1024 / 1024).toFixed(1) + " MB";
}

async function followJob(jobId, onUpdate) {
  for (;;) {
    const job = await api("/api/jobs/" + jobId);
    onUpdate(job);
    if (job.state !== "running") return job;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function jobView(box, job) {
  box.hidden = false;
  box.replaceChildren();
  const pct = job.total ? Math.round((100 * job.done) / job.total) : job.state === "running" ? 5 : 100;
  box.className = "job " + job.state;
  box.append(...[
    el("div", { class: "job-line" },
      el("strong", { text: job.phase }),
      el("span", { text: job.total ? ` ${job.done} / ${job.total} 个文件` : "" })),
    el("div", { class: "bar", role: "progressbar", "aria-valuenow": pct, "aria-valuemin": 0, "aria-valuemax": 100 },
      el("span", { style: `width:${pct}%` })),
    job.files.length ? el("ul", { class: "files-done" }, job.files.map((f) => el("li", { text: "✓ " + f }))) : null,
    job.message ? el("p", { text: job.message }) : null,
    job.error ? el("p", { class: "error", text: job.error }) : null,
    job.problems.length ? problemList(job.problems) : null,
  ].filter(Boolean));
}
