#!/usr/bin/env python3
"""Draw the photo(s) the sample issues reference, into samples/images/.

The samples are invented newspaper issues; their one surviving photo is a simple drawn scene
(a riverside walkway at dusk) so that tests and back ends have a real JPEG to decode, scale and
place. Everything is computed from fixed numbers: no randomness, no fonts, no timestamps, so a
re-run with the same Pillow gives the same bytes.

Run from anywhere:  python3 samples/make-images.py   (needs Pillow: pip install pillow)
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "images"

# A few hundred pixels wide, 3:2 like a news photo; small enough to stay well under 60 KB.
WIDTH, HEIGHT = 480, 320
# JPEG quality: high enough that the gradients do not band badly, low enough for the size limit.
QUALITY = 82


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def riverside_walkway():
    """Dusk over a river: sky, sun, two ridges of hills, water with ripples, a walkway with lamps
    and a banyan-like tree on the bank."""
    img = Image.new("RGB", (WIDTH, HEIGHT))
    d = ImageDraw.Draw(img)

    horizon = 150
    # Sky: warm near the horizon, blue above.
    for y in range(horizon):
        d.line([(0, y), (WIDTH, y)], fill=lerp((70, 110, 170), (245, 180, 120), y / horizon))
    # Sun, half behind the far hills.
    d.ellipse([300, 95, 350, 145], fill=(255, 225, 160))

    # Far and near ridges as polylines closed to the horizon.
    far = [(0, 120), (60, 105), (120, 118), (190, 96), (260, 112), (330, 100), (400, 115),
           (480, 104), (480, horizon), (0, horizon)]
    d.polygon(far, fill=(110, 120, 140))
    near = [(0, 138), (80, 126), (150, 140), (230, 130), (310, 142), (390, 128), (480, 136),
            (480, horizon), (0, horizon)]
    d.polygon(near, fill=(70, 90, 90))

    # River: darker towards the viewer, with the sun's reflection as short bright strokes.
    river_bottom = 240
    for y in range(horizon, river_bottom):
        t = (y - horizon) / (river_bottom - horizon)
        d.line([(0, y), (WIDTH, y)], fill=lerp((150, 140, 140), (60, 80, 100), t))
    for i, y in enumerate(range(horizon + 4, river_bottom - 10, 7)):
        half = 22 - i
        if half <= 2:
            break
        x = 325 + (i % 3 - 1) * 4
        d.line([(x - half, y), (x + half, y)], fill=(240, 200, 150), width=2)
    # A far bridge across the river.
    d.rectangle([20, 150, 250, 154], fill=(60, 60, 70))
    for x in range(40, 250, 45):
        d.rectangle([x, 154, x + 4, 170], fill=(60, 60, 70))

    # The walkway: a paved band on the bank with a railing and lamps.
    d.polygon([(0, 240), (WIDTH, 240), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(120, 110, 100))
    d.polygon([(0, 236), (WIDTH, 236), (WIDTH, 244), (0, 244)], fill=(200, 195, 185))
    for x in range(0, WIDTH, 16):
        d.line([(x, 236), (x, 222)], fill=(90, 90, 95), width=2)
    d.line([(0, 222), (WIDTH, 222)], fill=(90, 90, 95), width=3)
    for x in range(40, WIDTH, 110):
        d.line([(x, 244), (x, 180)], fill=(50, 50, 55), width=3)
        d.ellipse([x - 6, 172, x + 6, 184], fill=(255, 235, 170))
    # Paving joints.
    for y in range(256, HEIGHT, 18):
        d.line([(0, y), (WIDTH, y)], fill=(105, 95, 88), width=1)

    # A tree on the bank: trunk, roots and a broad crown of overlapping discs.
    d.polygon([(410, 250), (424, 170), (436, 170), (452, 250)], fill=(80, 60, 45))
    for dx in (-26, -12, 12, 26):
        d.line([(431, 240), (431 + dx, 256)], fill=(80, 60, 45), width=4)
    for cx, cy, r in ((400, 150, 40), (445, 135, 45), (470, 160, 35), (420, 120, 35),
                      (380, 170, 28)):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(50, 95, 55))

    # Two walkers, as dark silhouettes.
    for x, h in ((170, 44), (192, 40)):
        d.ellipse([x - 5, 268 - h, x + 5, 278 - h], fill=(35, 35, 40))
        d.rectangle([x - 6, 278 - h, x + 6, 268], fill=(35, 35, 40))
        d.line([(x - 3, 268), (x - 5, 288)], fill=(35, 35, 40), width=4)
        d.line([(x + 3, 268), (x + 5, 288)], fill=(35, 35, 40), width=4)
    return img


IMAGES = {
    "jialing-riverside.jpg": riverside_walkway,
}


def main():
    OUT_DIR.mkdir(exist_ok=True)
    for name, draw in IMAGES.items():
        path = OUT_DIR / name
        # No EXIF, no progressive scan, no optimisation pass: plain baseline JPEG bytes.
        draw().save(path, "JPEG", quality=QUALITY)
        print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
