"""Photos for the deck: cropped to their frame around a focus point, scaled to the frame and JPEG-compressed."""

from __future__ import annotations

import io
from pathlib import Path

from generators.writers.pptx.measure import EMU_PER_IN

DPI = 200  # pixels per inch of the frame: sharp on a projector, small in the file
QUALITIES = (85, 78, 70, 62, 55)  # JPEG qualities tried, best first, until the photo is under its budget
PHOTO_BUDGET = 500_000  # bytes a photo may take: four photos and the deck stay well under 3 MB
DECK_BUDGET = 3 * 1024 * 1024  # bytes the whole deck may take (checked by the tests)


def crop_box(size: tuple[int, int], aspect: float, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of `aspect` (width / height) inside an image of `size`, centred on `focus` where the
    edges allow (focus: shares of width and height, (0.5, 0.5) = centre)."""
    w, h = size
    cw, ch = (w, round(w / aspect)) if w / h < aspect else (round(h * aspect), h)
    cw, ch = min(cw, w), min(ch, h)
    x = min(max(round(focus[0] * w - cw / 2), 0), w - cw)
    y = min(max(round(focus[1] * h - ch / 2), 0), h - ch)
    return x, y, x + cw, y + ch


def fitted_jpeg(path: Path, frame_w: int, frame_h: int, focus: tuple[float, float] = (0.5, 0.5)) -> bytes:
    """The photo cropped to the frame's proportions around `focus`, at most DPI pixels per inch of the frame,
    as a JPEG without metadata under PHOTO_BUDGET bytes (same file in, same bytes out)."""
    from PIL import Image, ImageOps

    with Image.open(path) as src:
        img = ImageOps.exif_transpose(src)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        img = img.convert("RGB").crop(crop_box(img.size, frame_w / frame_h, focus))
        target = (round(frame_w / EMU_PER_IN * DPI), round(frame_h / EMU_PER_IN * DPI))
        if img.width > target[0]:
            img = img.resize(target, Image.Resampling.LANCZOS)
        data = b""
        for quality in QUALITIES:
            out = io.BytesIO()
            img.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
            data = out.getvalue()
            if len(data) <= PHOTO_BUDGET:
                break
        return data
