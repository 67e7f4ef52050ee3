#!/usr/bin/env python3
"""The 公文 layout (GB/T 9704-2012) of the renderings, measured.

render_sample writes two sample documents in every format: one without a
版头 (a two-line title, the date longer than the 署名) and one with a 版头
(a three-line title, the date shorter than the 署名); both have paragraphs
whose lines end in punctuation. LibreOffice sets each DOCX as a PDF, and
pdftotext -bbox gives every word's box: the title's lines are balanced and
end in no short line, the 主送机关 stands flush left under the title, the
落款's date starts two characters right of the 署名 and the right one of
them ends two characters in, and no glyph passes the text block's right
edge. The text and HTML renderings are checked for the same structure.

Needs libreoffice (writer), pdftotext and fonts-noto-cjk, fonts-liberation2.
"""

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None

MM = 72 / 25.4
LEFT_EDGE = 28 * MM                  # 79.37 pt: the left margin
RIGHT_EDGE = (210 - 26) * MM         # 521.57 pt: the 版心's right edge
CHAR = 16 - 0.25                     # a 3号 character as set, in points
TOLERANCE = 0.5                      # pt: rounding of twips and glyph boxes

PLAIN = dict(title="鲁山县民政局关于2024年法治政府建设情况的报告", addressee="县委依法治县办：",
             signature="鲁山县民政局", date="2025年1月15日", long_date=True)
HEADER = dict(title="鲁山县人民政府办公室关于2024年度推进法治政府建设和党政主要负责人履行推进法治建设第一责任人职责情况的报告",
              addressee="县委、县政府：", signature="鲁山县人民政府办公室", date="2025年12月31日",
              long_date=False)


def halves(text):
    return sum(1 if ord(c) < 0x80 else 2 for c in text)


def render(kind):
    folder = tempfile.mkdtemp(prefix=f"gongwen-{kind}-")
    args = [ARGS.render_sample, folder] + (["header"] if kind == "header" else [])
    subprocess.run(args, check=True, timeout=60)
    return folder


def pdf_words(folder):
    """Every word of the LibreOffice PDF: (page, xMin, yMin, xMax, text)."""
    env = dict(os.environ, HOME=folder)
    done = subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "pdf", "sample.docx"],
        cwd=folder, env=env, capture_output=True, timeout=240)
    pdf = os.path.join(folder, "sample.pdf")
    if not os.path.exists(pdf):
        raise AssertionError(done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace"))
    boxes = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True,
                           timeout=60).stdout.decode()
    words, page = [], 0
    for line in boxes.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if m:
            words.append((page, float(m.group(1)), float(m.group(2)), float(m.group(3)),
                          html.unescape(m.group(4))))
    return words


def lines_of(words):
    """Words grouped into lines (same page, same top within 2 pt), in order."""
    lines = []
    for w in sorted(words, key=lambda w: (w[0], w[2], w[1])):
        if lines and lines[-1][0][0] == w[0] and abs(lines[-1][0][2] - w[2]) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [dict(page=l[0][0], x=min(w[1] for w in l), right=max(w[3] for w in l), y=l[0][2],
                 text="".join(w[4] for w in sorted(l, key=lambda w: w[1]))) for l in lines]


class Layout:
    """The checks, for one sample; mixed into a TestCase per sample."""
    SAMPLE = None
    KIND = None

    @classmethod
    def setUpClass(cls):
        for tool in ("libreoffice", "pdftotext"):
            if shutil.which(tool) is None:
                raise unittest.SkipTest(f"{tool} is not installed")
        cls.folder = render(cls.KIND)
        cls.words = pdf_words(cls.folder)
        cls.lines = lines_of(cls.words)
        print(f"\n[{cls.KIND}] LibreOffice lines (x0, x1, text):", file=sys.stderr)
        for line in cls.lines:
            print(f"  p{line['page']} {line['x']:7.2f} {line['right']:7.2f} {line['text']}", file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def read(self, fmt):
        with open(os.path.join(self.folder, f"sample.{fmt}"), encoding="utf-8") as f:
            return f.read()

    def title_lines(self):
        """The PDF lines that make up the title, in order."""
        title, found, joined = self.SAMPLE["title"], [], ""
        for line in self.lines:
            if found or title.startswith(line["text"]):
                if not title.startswith(joined + line["text"]):
                    break
                found.append(line)
                joined += line["text"]
                if joined == title:
                    return found
        self.fail(f"the title is not on consecutive lines: {[l['text'] for l in self.lines[:8]]}")

    # --- DOCX through LibreOffice ---------------------------------------

    def test_no_glyph_past_the_text_block(self):
        widest = max(self.words, key=lambda w: w[3])
        print(f"[{self.KIND}] rightmost glyph edge {widest[3]:.2f} pt ({widest[4]}), "
              f"版心 edge {RIGHT_EDGE:.2f} pt", file=sys.stderr)
        for page, x0, _, x1, text in self.words:
            self.assertLessEqual(x1, RIGHT_EDGE + TOLERANCE, f"page {page}: {text} ends at {x1}")
            self.assertGreaterEqual(x0, LEFT_EDGE - TOLERANCE, f"page {page}: {text} starts at {x0}")
        # The sample does put marks at line ends.
        ends = [l["text"][-1] for l in self.lines if l["text"]]
        self.assertTrue(any(c in "，。、" for c in ends), ends)

    def test_title_lines_balanced_without_a_short_last_line(self):
        lines = self.title_lines()
        self.assertGreaterEqual(len(lines), 2)
        widths = [halves(l["text"]) / 2 for l in lines]
        print(f"[{self.KIND}] title lines (characters): {widths}", file=sys.stderr)
        self.assertGreater(len(lines[-1]["text"]), 3, lines[-1]["text"])
        self.assertLessEqual(max(widths) - min(widths), 4, [l["text"] for l in lines])
        for l in lines:  # centred
            self.assertAlmostEqual((l["x"] + l["right"]) / 2, (LEFT_EDGE + RIGHT_EDGE) / 2, delta=12)

    def test_addressee_flush_left_below_the_title(self):
        title = self.title_lines()
        after = [l for l in self.lines if l["page"] == title[-1]["page"] and l["y"] > title[-1]["y"]]
        self.assertEqual(after[0]["text"], self.SAMPLE["addressee"])
        self.assertAlmostEqual(after[0]["x"], LEFT_EDGE, delta=1)
        # One blank line between: more than a line pitch below the title.
        self.assertGreater(after[0]["y"] - title[-1]["y"], 40)

    def test_signature_and_date_geometry(self):
        signature = [l for l in self.lines if l["text"] == self.SAMPLE["signature"]][-1]
        date = [l for l in self.lines if l["text"] == self.SAMPLE["date"]][-1]
        print(f"[{self.KIND}] 署名 x {signature['x']:.2f}–{signature['right']:.2f}, "
              f"date x {date['x']:.2f}–{date['right']:.2f}, offset {date['x'] - signature['x']:.2f} pt "
              f"(two characters: {2 * CHAR} pt); room to the 版心 edge: 署名 "
              f"{RIGHT_EDGE - signature['right']:.2f}, date {RIGHT_EDGE - date['right']:.2f}",
              file=sys.stderr)
        self.assertEqual(date["page"], signature["page"])
        self.assertGreater(date["y"], signature["y"])
        self.assertAlmostEqual(date["x"] - signature["x"], 2 * CHAR, delta=1)
        if self.SAMPLE["long_date"]:
            # The date ends two characters in (its digits' widths and the
            # room LibreOffice puts around them are estimated: ±2 pt).
            self.assertAlmostEqual(RIGHT_EDGE - date["right"], 2 * CHAR, delta=2.5)
        else:
            # A glyph box ends 0.25 pt past the character as set.
            self.assertAlmostEqual(RIGHT_EDGE - signature["right"], 2 * CHAR - 0.25, delta=1)
            self.assertLessEqual(date["right"], RIGHT_EDGE)

    # --- text and HTML ----------------------------------------------------

    def test_text_rendering(self):
        text = self.read("txt").rstrip("\n").split("\n")
        signature, date = text[-2], text[-1]
        s, t = halves(self.SAMPLE["signature"]), halves(self.SAMPLE["date"])
        # GB/T 9704 §7.3.5.2 on a line of 56 half characters.
        if t > s:
            date_left = 56 - 4 - t
            signature_left = date_left - 4
        else:
            signature_left = 56 - 4 - s
            date_left = signature_left + 4
        self.assertEqual(signature, " " * 0 + "\u3000" * (signature_left // 2) + " " * (signature_left % 2)
                         + self.SAMPLE["signature"])
        self.assertEqual(date, "\u3000" * (date_left // 2) + " " * (date_left % 2) + self.SAMPLE["date"])
        self.assertEqual(text[-3], "")  # one blank line below the body
        # Title lines, then a blank line, then the addressee flush left.
        start = next(i for i, line in enumerate(text)
                     if line and self.SAMPLE["title"].startswith(line.strip("\u3000 ")))
        joined, i = "", start
        while joined != self.SAMPLE["title"]:
            joined += text[i].strip("\u3000 ")
            i += 1
        self.assertGreater(len(text[i - 1].strip("\u3000 ")), 3)
        self.assertEqual(text[i], "")
        self.assertEqual(text[i + 1], self.SAMPLE["addressee"])

    def test_html_rendering(self):
        page = self.read("html")
        for rule in ("line-break: strict", "hanging-punctuation: none", "text-autospace: no-autospace"):
            self.assertIn(rule, page)
        title = re.search(r"<h1>(.*?)</h1>", page).group(1)
        self.assertEqual(title.replace("<br>", ""), self.SAMPLE["title"])
        self.assertIn("<br>", title)
        self.assertIn(f'</h1>\n<p class="addressee">{self.SAMPLE["addressee"]}</p>', page)
        closing = "closing long-date" if self.SAMPLE["long_date"] else "closing"
        self.assertIn(f'<div class="{closing}">\n<p class="signature">{self.SAMPLE["signature"]}</p>\n'
                      f'<p class="date">{self.SAMPLE["date"]}</p>\n</div>', page)


    def test_html_printed_by_chromium(self):
        """The print stylesheet as Chromium sets it: the same 落款 geometry."""
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            self.skipTest("chromium is not installed")
        pdf = os.path.join(self.folder, "html.pdf")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={self.folder}/chromium", f"--print-to-pdf={pdf}",
                        f"file://{self.folder}/sample.html"], capture_output=True, timeout=120)
        self.assertTrue(os.path.exists(pdf))
        boxes = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True,
                               timeout=60).stdout.decode()
        words = [(float(a), float(b), html.unescape(t)) for a, b, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', boxes)]
        left = min(x0 for x0, _, _ in words)   # the page's left margin as Chromium sets it
        right = left + 156 * MM
        for x0, x1, text in words:
            self.assertLessEqual(x1, right + TOLERANCE, text)
        signature = [w for w in words if w[2] == self.SAMPLE["signature"]][-1]
        date = [w for w in words if w[2] == self.SAMPLE["date"]][-1]
        print(f"[{self.KIND}] HTML in Chromium: 署名 x {signature[0]:.2f}, date x {date[0]:.2f}, "
              f"room after 署名 {right - signature[1]:.2f}, after date {right - date[1]:.2f}", file=sys.stderr)
        self.assertAlmostEqual(date[0] - signature[0], 2 * CHAR, delta=1)
        ends_two_in = date if self.SAMPLE["long_date"] else signature
        self.assertAlmostEqual(right - ends_two_in[1], 2 * CHAR, delta=1)


class PlainLayoutTest(Layout, unittest.TestCase):
    SAMPLE = PLAIN
    KIND = "plain"

    def test_no_organ_line_above_a_title_that_holds_it(self):
        self.assertEqual(self.lines[0]["text"], self.title_lines()[0]["text"])
        self.assertNotIn('class="organ', self.read("html"))
        self.assertTrue(self.read("txt").lstrip("\u3000 ").startswith(self.SAMPLE["title"][:6]))


class HeaderLayoutTest(Layout, unittest.TestCase):
    SAMPLE = HEADER
    KIND = "header"

    def test_header_mark_number_and_issuer(self):
        self.assertEqual(self.lines[0]["text"], "鲁山县人民政府办公室文件")
        number = self.lines[1]
        self.assertTrue(number["text"].startswith("鲁政办〔2025〕3号"), number["text"])
        self.assertTrue(number["text"].endswith("签发人：王建华"), number["text"])
        self.assertAlmostEqual(number["x"], LEFT_EDGE + CHAR, delta=1)       # one character in
        self.assertAlmostEqual(RIGHT_EDGE - number["right"], CHAR, delta=1.5)
        page = self.read("html")
        self.assertIn('<div class="organ-mark size-2">鲁山县人民政府办公室文件</div>', page)
        self.assertIn('签发人：<span class="issuer-name">王建华</span>', page)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--render-sample", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
