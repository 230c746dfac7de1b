#!/usr/bin/env python3
"""Writes a Typst document comparable to papertool's PDF edition of an issue, for the benchmark's
peer: the same text, each page of the issue as one page of 390 x 545 mm in 8 columns of 9 pt serif
with the headlines, bylines and paragraphs in order, the masthead on page 1 and a running head on
the others; a page the text does not hold gets its head and a note, as papertool makes it.

    typst_doc.py ISSUE.json OUT.typ        (ISSUE.json: `papertool parse ISSUE -o ISSUE.json`)
"""
import json
import sys


def esc(s):
    return "".join("\\" + c if c in "\\#*_`$<>@[]~=-+/" else c for c in s or "")


def main(src, dst):
    issue = json.load(open(src))
    m = issue["masthead"]
    paper = esc(m.get("paper"))
    pages = {p["number"]: p for p in issue["pages"]}
    count = max([m.get("page_count") or 4] + list(pages))
    out = [
        '#set page(width: 390mm, height: 545mm, margin: (x: 19mm, y: 20mm))',
        '#set text(font: ("Noto Serif CJK SC", "Noto Sans CJK SC"), size: 9pt, lang: "zh")',
        '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.5pt)',
    ]
    for n in range(1, count + 1):
        if n > 1:
            out.append("#pagebreak()")
        page = pages.get(n, {"articles": []})
        articles = page["articles"]
        if n == 1:
            ears = " ".join(esc(a["headline"]) for a in articles if a.get("ear"))
            out.append('#grid(columns: (5fr, 3fr), gutter: 9pt, [#text(size: 130pt, fill: cmyk(0%%, 100%%, 100%%, 0%%), font: "Papertool Kai")[%s]], rect(width: 100%%)[%s])' % (paper, ears))
        else:
            out.append('#text(weight: "bold")[%s 第%d版 %s]' % (paper, n, esc(page.get("section"))))
        out.append('#line(length: 100%, stroke: 1.5pt)')
        if not articles:
            out.append('#v(1fr)\n#align(center)[第%d版的内容不在本期文本中]\n#v(1fr)' % n)
            continue
        out.append('#columns(8, gutter: 9pt)[')
        for a in articles:
            if a.get("headline"):
                out.append('#block(width: 100%%)[#align(center)[#text(font: "Noto Sans CJK SC", weight: "bold", size: 18pt)[%s]]]' % esc(a["headline"]))
            lead = '#text(weight: "bold")[%s]' % esc(a["byline"]) if a.get("byline") else ""
            for b in a["blocks"]:
                t = b.get("text") or "".join(b.get("lines") or [])
                if not t:
                    continue
                if b["kind"] == "crosshead":
                    out.append('#text(weight: "bold")[%s]\n' % esc(t))
                else:
                    out.append(lead + esc(t) + "\n")
                    lead = ""
        out.append("]")
    open(dst, "w").write("\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:3])
