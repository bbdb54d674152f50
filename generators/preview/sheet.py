"""Contact sheets: every page of a document as numbered thumbnails on one image."""

from __future__ import annotations

from pathlib import Path

def _label_font(root: Path, size: int):
    """The theme's caption face (bundled, has CJK) for labels; Pillow's own font if that fails."""
    from PIL import ImageFont

    try:
        from generators.theme import load_theme

        theme = load_theme(root)
        return ImageFont.truetype(str(theme.font_path(theme.role("caption").print)), size)
    except Exception:  # noqa: BLE001 - a label font is a nicety; the sheet must still be made
        return ImageFont.load_default()


def contact_sheet(pages: list[Path], dest: Path, title: str, root: Path) -> Path:
    """All pages as numbered thumbnails on one image: the quickest way to look at a whole document."""
    from PIL import Image, ImageDraw

    with Image.open(pages[0]) as first:
        landscape = first.width > first.height
    thumb_w, cols = (300, 4) if landscape else (200, 6)
    cols = min(cols, len(pages))
    thumbs = []
    for p in pages:
        with Image.open(p) as src:
            im = src.convert("RGB")
            h = round(im.height * thumb_w / im.width)
            thumbs.append(im.resize((thumb_w, h), Image.Resampling.LANCZOS))
    margin, gutter, label_h, header_h = 24, 16, 26, 44
    cell_h = max(t.height for t in thumbs) + label_h
    rows = -(-len(thumbs) // cols)
    width = 2 * margin + cols * thumb_w + (cols - 1) * gutter
    height = margin + header_h + rows * cell_h + (rows - 1) * gutter + margin
    sheet = Image.new("RGB", (width, height), "#E8E8E8")
    draw = ImageDraw.Draw(sheet)
    draw.text((margin, margin), title, fill="#1F1F1F", font=_label_font(root, 20))
    small = _label_font(root, 14)
    for i, t in enumerate(thumbs):
        x = margin + (i % cols) * (thumb_w + gutter)
        y = margin + header_h + (i // cols) * (cell_h + gutter)
        sheet.paste(t, (x, y))
        draw.rectangle((x - 1, y - 1, x + t.width, y + t.height), outline="#A8A8A8")
        label = str(i + 1)
        w = draw.textlength(label, font=small)
        draw.text((x + (thumb_w - w) / 2, y + t.height + 5), label, fill="#555555", font=small)
    dest.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(dest, optimize=True)
    return dest


