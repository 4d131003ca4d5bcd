"""Draw the application icon (resources/icons/app.png, .ico for Windows, .icns for macOS).

A green rounded square with 科 (for 科技特派员) in the bundled font. Run once; the output is committed.

    python3 scripts/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commissioner_app.paths import font_path  # noqa: E402

OUT = ROOT / "resources" / "icons"
SIZE = 1024
GREEN = (46, 125, 50)
LIGHT = (129, 199, 132)


def draw(size: int = SIZE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    margin = size // 16
    d.rounded_rectangle((margin, margin, size - margin, size - margin), radius=size // 5, fill=GREEN)
    # A field's furrows along the bottom: this is agricultural extension work.
    for i in range(3):
        y = size - margin - size // 7 + i * size // 24
        d.line((margin + size // 8, y, size - margin - size // 8, y), fill=LIGHT, width=max(2, size // 64))
    font = ImageFont.truetype(str(font_path()), int(size * 0.58))
    d.text((size / 2, size * 0.44), "科", font=font, fill="white", anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "app.png", optimize=True)
    image.save(
        OUT / "app.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )
    image.resize((512, 512), Image.Resampling.LANCZOS).save(OUT / "app.icns")
    for name in ("app.png", "app.ico", "app.icns"):
        print(OUT / name, (OUT / name).stat().st_size)


if __name__ == "__main__":
    main()
