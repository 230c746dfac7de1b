#!/usr/bin/env python3
"""Rebuild the faces in fonts/ from Debian's packages.

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai && pip install fonttools
    python3 fonts/build.py

Each face is taken out of its collection (the SC face of the Noto .ttc files), subset to the
characters a Chinese newspaper sets: GBK, the CJK and general punctuation blocks, full-width
forms and Latin. Layout features are dropped: the text engine positions every glyph itself
(punctuation compression and justification are done in layout, not by OpenType features), so
GSUB/GPOS would only add weight. Hinting is dropped too: print and PDF viewers do not need it.

LXGW WenKai's licence reserves the names "LXGW" and "霞鹜" for unmodified builds, so the subset
is renamed "Papertool Kai"; the Noto licence reserves no names.
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

NOTO = "/usr/share/fonts/opentype/noto"
WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai"
OUT = os.path.dirname(os.path.abspath(__file__))

# (output file, source file, face index in a collection or None, new family name or None)
FACES = [
    ("NotoSerifSC-Regular.otf", f"{NOTO}/NotoSerifCJK-Regular.ttc", 2, None),
    ("NotoSerifSC-Bold.otf", f"{NOTO}/NotoSerifCJK-Bold.ttc", 2, None),
    ("NotoSansSC-Bold.otf", f"{NOTO}/NotoSansCJK-Bold.ttc", 2, None),
    ("PapertoolKai-Regular.ttf", f"{WENKAI}/LXGWWenKai-Regular.ttf", None, "Papertool Kai"),
]


def charset():
    """GBK's repertoire plus the punctuation and forms a newspaper uses beyond it."""
    cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for lo, hi in [(0x2000, 0x206F), (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF),
                   (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
                   (0x3000, 0x303F), (0x3200, 0x32FF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
                   (0xFF00, 0xFFEF)]:
        cps |= set(range(lo, hi + 1))
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            chr(cp).encode("gbk")
            cps.add(cp)
        except UnicodeEncodeError:
            pass
    return sorted(cps)


def rename(font, family):
    """Replace every name record that names the font (ids 1, 3, 4, 6, 16, 17) with `family`."""
    style = font["name"].getDebugName(2) or "Regular"
    full = f"{family} {style}" if style != "Regular" else family
    ps = family.replace(" ", "") + "-" + style.replace(" ", "")
    values = {1: family, 3: ps, 4: full, 6: ps, 16: family, 17: style}
    for rec in list(font["name"].names):
        if rec.nameID in values:
            font["name"].setName(values[rec.nameID], rec.nameID, rec.platformID, rec.platEncID, rec.langID)


def build(out, src, index, family, unicodes):
    font = TTCollection(src).fonts[index] if index is not None else TTFont(src)
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["DSIG", "vhea", "vmtx", "VORG", "BASE"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    if family:
        rename(font, family)
    path = os.path.join(OUT, out)
    font.save(path)
    print(f"{out}: {os.path.getsize(path) / 1e6:.1f} MB")


def main():
    unicodes = charset()
    only = set(sys.argv[1:])
    for face in FACES:
        if not only or face[0] in only:
            build(*face, unicodes)


if __name__ == "__main__":
    main()
