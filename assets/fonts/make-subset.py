#!/usr/bin/env python3
"""Cuts the CJK font Taizhang bundles: a subset of Noto Sans CJK SC.

Source: face index 2 (Noto Sans CJK SC) of NotoSansCJK-Regular.ttc from
Debian's `fonts-noto-cjk` package. Needs fonttools (`pip install fonttools`).

Characters kept: ASCII, Latin-1, general punctuation, arrows, number forms,
enclosed numbers (①), box and geometric shapes (●▲■), CJK symbols and
punctuation, full-width forms, every GB2312 character, Big5 level 1 (common
Traditional characters), and every non-ASCII character that appears in the
program's source and seeds (so whatever the window itself prints is covered).

Run from the repository root:

    python3 assets/fonts/make-subset.py

It writes assets/fonts/NotoSansSC-Taizhang-subset.otf; commit the result.
"""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = 2  # Noto Sans CJK SC in the collection
OUT = ROOT / "assets/fonts/NotoSansSC-Taizhang-subset.otf"


def ranges():
    spans = [
        (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F),
        (0x2150, 0x218F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x257F),
        (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
    ]
    chars = set()
    for a, b in spans:
        chars.update(chr(c) for c in range(a, b + 1))
    return chars


def gb2312():
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def big5_level1():
    chars = set()
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return chars


def used_in_repository():
    chars = set()
    for folder in ("src", "seeds", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".rs", ".txt", ".json", ".csv", ".md"}:
                text = path.read_text(encoding="utf-8", errors="ignore")
                chars.update(c for c in text if ord(c) > 0x7E)
    return chars


def main():
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: apt-get install fonts-noto-cjk")
    chars = ranges() | gb2312() | big5_level1() | used_in_repository()
    chars = sorted(c for c in chars if c.isprintable() or c == "\u3000")
    unicodes = ",".join(f"U+{ord(c):04X}" for c in chars)
    subprocess.run(
        [
            sys.executable, "-m", "fontTools.subset", str(SOURCE),
            f"--font-number={FACE}", f"--unicodes={unicodes}",
            "--no-hinting",
            "--name-IDs=*", f"--output-file={OUT}",
        ],
        check=True,
    )
    print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
