"""The annual notice's charts as PNG, drawn in pure Python (zlib and struct, no plotting library).

Two charts: units' adoption (a bar per unit, in the table's order, numbered as its row) and
the monthly trend (submitted and adopted per month, two lines). Labels are digits only, from
a 3×5 bitmap font: the unit names stay in the table the bars are numbered after, so no CJK
font rendering (and no Pillow or matplotlib) is needed. See docs/scoring.md for why.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

WHITE = (255, 255, 255)
AXIS = (60, 60, 60)
GRID = (225, 225, 225)
BAR = (178, 34, 34)  # Red, as official charts usually are.
SECOND = (40, 80, 160)
#: 3×5 digits, one string of rows per character ("1" = ink).
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    ".": ("000", "000", "000", "000", "010"),
    "%": ("101", "001", "010", "100", "101"),
}


class Canvas:
    """An RGB raster with rectangles, lines and digit labels, written as a PNG."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = [bytearray(WHITE * width) for _ in range(height)]

    def dot(self, x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self.pixels[y][3 * x : 3 * x + 3] = bytes(colour)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int]) -> None:
        for y in range(max(min(y0, y1), 0), min(max(y0, y1), self.height)):
            left, right = max(min(x0, x1), 0), min(max(x0, x1), self.width)
            if right > left:
                self.pixels[y][3 * left : 3 * right] = bytes(colour) * (right - left)

    def line(self, a: tuple[int, int], b: tuple[int, int], colour: tuple[int, int, int]) -> None:
        steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
        for i in range(steps + 1):
            x = a[0] + (b[0] - a[0]) * i // steps
            y = a[1] + (b[1] - a[1]) * i // steps
            self.rect(x - 1, y - 1, x + 2, y + 2, colour)  # 3 px wide

    def text(self, x: int, y: int, text: str, colour: tuple[int, int, int], scale: int = 2) -> None:
        """Digits at (x, y), top left; characters without a glyph are skipped."""
        for char in text:
            for row, bits in enumerate(GLYPHS.get(char, ())):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        px, py = x + col * scale, y + row * scale
                        self.rect(px, py, px + scale, py + scale, colour)
            x += 4 * scale

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


LEFT, BOTTOM, TOP, RIGHT = 60, 40, 20, 20


def _axes(canvas: Canvas, top_value: float) -> None:
    """Axes and four grid lines labelled with their values."""
    plot_h = canvas.height - TOP - BOTTOM
    for i in range(5):
        y = canvas.height - BOTTOM - plot_h * i // 4
        canvas.rect(LEFT, y, canvas.width - RIGHT, y + 1, GRID if i else AXIS)
        canvas.text(4, y - 5, _number(top_value * i / 4), AXIS)
    canvas.rect(LEFT, TOP, LEFT + 1, canvas.height - BOTTOM, AXIS)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _ceiling(values: Sequence[float]) -> float:
    """A round top for the axis: four steps of 1, 2 or 5 × 10ⁿ reaching the largest value."""
    biggest = max([*values, 1.0])
    scale = 0.1
    while True:
        for step in (1, 2, 5):
            if step * scale * 4 >= biggest:
                return step * scale * 4
        scale *= 10


def bar_chart(values: Sequence[float], width: int = 900, height: int = 360) -> bytes:
    """One bar per value, numbered 1…N under the bars, the value above each."""
    canvas = Canvas(width, height)
    top = _ceiling(values)
    _axes(canvas, top)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    for i, value in enumerate(values):
        x0 = LEFT + int(slot * i + slot * 0.15)
        x1 = LEFT + int(slot * (i + 1) - slot * 0.15)
        y = height - BOTTOM - int(plot_h * value / top)
        canvas.rect(x0, y, max(x1, x0 + 1), height - BOTTOM, BAR)
        canvas.text(x0, height - BOTTOM + 8, str(i + 1), AXIS)
        if slot >= 24:  # Room for the value above the bar.
            canvas.text(x0, y - 14, _number(round(value, 1)), AXIS)
    return canvas.png()


def line_chart(series: Sequence[Sequence[float]], width: int = 900, height: int = 360) -> bytes:
    """Lines over months 1…N (first series red, second blue), month numbers on the axis."""
    canvas = Canvas(width, height)
    top = _ceiling([v for s in series for v in s])
    _axes(canvas, top)
    count = max((len(s) for s in series), default=0)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / max(count - 1, 1)
    for i in range(count):
        canvas.text(LEFT + int(step * i) - 4, height - BOTTOM + 8, str(i + 1), AXIS)
    for values, colour in zip(series, (BAR, SECOND), strict=False):
        points = [
            (LEFT + int(step * i), height - BOTTOM - int(plot_h * v / top))
            for i, v in enumerate(values)
        ]
        for a, b in zip(points, points[1:], strict=False):
            canvas.line(a, b, colour)
        for x, y in points:
            canvas.rect(x - 3, y - 3, x + 4, y + 4, colour)
    return canvas.png()
