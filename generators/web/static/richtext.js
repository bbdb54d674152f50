// The paragraph box: text the user types, with each figure shown as it will print (a chip), never as `{ref}`.
"use strict";

const REF_TOKEN = /\{\{|\}\}|\{([^{}]+)\}/g;

function printedText(ref) {
  const [base, fmt] = ref.split("|");
  const hit = lookupRef(base);
  if (!hit || !hit.p) return hit ? `（${hit.ind.name}）` : "（未知数字）";
  if (fmt === "n") return hit.p.value;
  if (fmt === "u") return hit.p.unit;
  return hit.p.value + hit.p.unit;
}

function figureChip(ref) {
  return el("span", { class: "chip ref", contenteditable: "false", "data-ref": ref, title: describeRef(ref.split("|")[0]) },
    printedText(ref));
}

function fillRich(node, text) {
  node.replaceChildren();
  let last = 0;
  for (const m of (text || "").matchAll(REF_TOKEN)) {
    if (m.index > last) node.append(text.slice(last, m.index));
    node.append(m[1] !== undefined ? figureChip(m[1]) : m[0]);  // `{{` and `}}` stay as typed
    last = m.index + m[0].length;
  }
  if (last < (text || "").length) node.append(text.slice(last));
}

function readRich(node) {
  let out = "";
  for (const c of node.childNodes) {
    if (c.nodeType === Node.TEXT_NODE) out += c.textContent;
    else if (c.dataset && c.dataset.ref) out += `{${c.dataset.ref}}`;
    else if (c.tagName !== "BR") out += readRich(c);  // a <div> or <span> the browser put in
  }
  return out.replace(/\u200b/g, "");
}

// A contenteditable box bound to obj[key]; `box.insertFigure(ref)` puts a chip where the caret was.
function richText(obj, key, path, placeholder) {
  const box = el("div", { class: "rich", contenteditable: "true", role: "textbox", "aria-multiline": "true",
    "data-field": path, "data-placeholder": placeholder || "", spellcheck: "false" });
  fillRich(box, obj[key] || "");
  let range = null;
  const remember = () => {
    const sel = document.getSelection();
    if (sel.rangeCount && box.contains(sel.getRangeAt(0).startContainer)) range = sel.getRangeAt(0).cloneRange();
  };
  box.addEventListener("keyup", remember);
  box.addEventListener("mouseup", remember);
  box.addEventListener("input", () => { obj[key] = readRich(box); remember(); changed(); });
  box.addEventListener("keydown", (e) => { if (e.key === "Enter") e.preventDefault(); });  // one paragraph
  box.addEventListener("paste", (e) => {
    e.preventDefault();
    document.execCommand("insertText", false, (e.clipboardData.getData("text/plain") || "").replace(/\s*\n\s*/g, ""));
  });
  box.insertFigure = (ref) => {
    box.focus();
    const sel = document.getSelection();
    let r = range;
    if (!r || !box.contains(r.startContainer)) { r = document.createRange(); r.selectNodeContents(box); r.collapse(false); }
    r.deleteContents();
    const chip = figureChip(ref);
    const after = document.createTextNode("\u200b");  // somewhere for the caret after the chip
    r.insertNode(after);
    r.insertNode(chip);
    r.setStartAfter(after);
    r.collapse(true);
    sel.removeAllRanges();
    sel.addRange(r);
    range = r.cloneRange();
    box.dispatchEvent(new Event("input"));
  };
  return box;
}
