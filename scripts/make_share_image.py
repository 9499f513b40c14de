"""Draw the default share image (``static/img/share-default.png``, 1200 × 630).

Link previews (OpenGraph, Twitter cards) show it for pages that have no photo of
their own: the map, the funding dashboard, a hub without photos. It is drawn once
and committed; run this again only to change it::

    .venv/bin/python scripts/make_share_image.py [--title "…"] [--output path]

The brand's colours (``static/css/site.css``: ``--brand``, ``--accent``), a map
pin like the header's mark over a faint street grid, the site name and one line
saying what it lists. Drawn at twice the size and scaled down (smooth edges).
The font is DejaVu Sans when installed (Debian's ``fonts-dejavu-core``), else
Pillow's own.
"""

import argparse
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at 2400 × 1260, then scaled down
BRAND = (29, 59, 139)  # --brand
BRAND_DARK = (19, 42, 102)  # --brand-dark
ACCENT = (224, 69, 123)  # --accent
ORANGE = (255, 154, 90)  # the mark's gradient end
WHITE = (255, 255, 255)
SOFT_WHITE = (214, 224, 250)  # 8.5:1 on the brand blue

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
DEFAULT_TITLE = "Lieux numériques des territoires"
DEFAULT_TAGLINE = "Fablabs, coworkings, pépinières, écoles du numérique près de chez vous"
OUTPUT = Path(__file__).resolve().parent.parent / "static" / "img" / "share-default.png"


def _font(bold: bool, size: int):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _streets(draw, s: int):
    """A faint grid of streets on the right half, fixed by a seed (same image each run)."""
    rng = random.Random(16)
    colour = (44, 76, 160)
    for x in range(840, 1200, 90):
        x = (x + rng.randint(-20, 20)) * s
        draw.line([(x, 0), (x + rng.randint(-40, 40) * s, HEIGHT * s)], fill=colour, width=5 * s)
    for y in range(40, HEIGHT, 110):
        y = (y + rng.randint(-20, 20)) * s
        end = y + rng.randint(-30, 30) * s
        draw.line([(800 * s, y), (WIDTH * s, end)], fill=colour, width=5 * s)
    draw.ellipse([880 * s, 120 * s, 1320 * s, 560 * s], outline=colour, width=10 * s)


def _pin(image, cx: int, cy: int, radius: int):
    """A map pin: a round head and a point below, white rim, the brand's dot inside."""
    draw = ImageDraw.Draw(image)
    rim = radius // 7

    def teardrop(r: int, fill):
        tip = cy + int(r * 2.25)
        draw.polygon(
            [(cx - int(r * 0.86), cy + r // 2), (cx + int(r * 0.86), cy + r // 2), (cx, tip)],
            fill=fill,
        )
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)

    teardrop(radius + rim, WHITE)
    # The accent-to-orange gradient of the header's mark, top to bottom.
    gradient = Image.new("RGB", image.size, ACCENT)
    top, bottom = cy - radius, cy + int(radius * 2.25)
    shade = ImageDraw.Draw(gradient)
    for y in range(top, bottom):
        t = (y - top) / (bottom - top)
        shade.line(
            [(0, y), (image.size[0], y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(ACCENT, ORANGE, strict=True)),
        )
    mask = Image.new("L", image.size, 0)
    mask_draw = ImageDraw.Draw(mask)
    mask_draw.polygon(
        [
            (cx - int(radius * 0.86), cy + radius // 2),
            (cx + int(radius * 0.86), cy + radius // 2),
            (cx, cy + int(radius * 2.25) - rim),
        ],
        fill=255,
    )
    mask_draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=255)
    image.paste(gradient, (0, 0), mask)
    inner = int(radius * 0.42)
    draw.ellipse(
        [cx - inner - rim, cy - inner - rim, cx + inner + rim, cy + inner + rim], fill=WHITE
    )
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=BRAND)


def draw(title: str, tagline: str) -> Image.Image:
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), BRAND)
    draw_ = ImageDraw.Draw(image)
    _streets(draw_, s)
    draw_.rectangle([0, (HEIGHT - 14) * s, WIDTH * s, HEIGHT * s], fill=ACCENT)
    _pin(image, 1010 * s, 250 * s, 105 * s)

    draw_ = ImageDraw.Draw(image)
    left, text_width = 80 * s, 720 * s
    title_font = _font(bold=True, size=76 * s)
    tagline_font = _font(bold=False, size=36 * s)
    title_lines = _wrap(draw_, title, title_font, text_width)
    tagline_lines = _wrap(draw_, tagline, tagline_font, text_width)
    title_step, tagline_step = 92 * s, 50 * s
    block = len(title_lines) * title_step + 36 * s + len(tagline_lines) * tagline_step
    y = (HEIGHT * s - block) // 2
    # A short accent bar above the title, like an underline of the brand.
    draw_.rectangle([left, y - 40 * s, left + 120 * s, y - 28 * s], fill=ACCENT)
    for line in title_lines:
        draw_.text((left, y), line, font=title_font, fill=WHITE)
        y += title_step
    y += 36 * s
    for line in tagline_lines:
        draw_.text((left, y), line, font=tagline_font, fill=SOFT_WHITE)
        y += tagline_step
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", default=DEFAULT_TITLE)
    parser.add_argument("--tagline", default=DEFAULT_TAGLINE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    draw(args.title, args.tagline).save(args.output, "PNG", optimize=True)
    print(f"{args.output} ({WIDTH} × {HEIGHT})")


if __name__ == "__main__":
    main()
