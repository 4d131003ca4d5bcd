"""Chinese line breaking in the PDFs: no line starts with a closing mark, and no text is lost.

The annual record printed "满意度）" at the end of one line and "。" alone on the next: reportlab
hangs one closing mark at a line's end, not two."""

from __future__ import annotations

from commissioner_app.reports.base import P, styles
from commissioner_app.reports.fonts import register_fonts
from commissioner_app.reports.linebreak import CANNOT_START

TEXTS = [
    "满意度：计入 52 条评价，其中服务对象扫码自行评价 0 条（口径：计服务对象自行评价的满意度，"
    "或经审核人认可的签字确认单上的满意度）。",
    "成果转化 3 项（已审核通过），技术交易额 35.50 万元；另有 2 项待审核，不计入。"
    "参评人数 1 人，少于 10 人，未执行优秀比例上限（25%）。",
    "指导陈皮仓储防霉：“控制湿度”、“定期翻晒”。培训农户 30 人次，示范户 2 户。",
]


def _lines(text: str, width: float) -> list[str]:
    paragraph = P(text, styles().body)
    paragraph.wrap(width, 10_000)
    if paragraph.blPara.kind == 0:  # a paragraph of one font: (space left, [text]) lines
        return ["".join(words) for _space, words in paragraph.blPara.lines]
    return ["".join(word.text for word in line.words) for line in paragraph.blPara.lines]


def test_no_line_starts_with_a_closing_mark_and_every_character_stays() -> None:
    register_fonts()
    assert set("，。、；：？！）") <= CANNOT_START
    checked = 0
    for text in TEXTS:
        for width in range(100, 520, 3):
            lines = _lines(text, width)
            assert "".join(lines) == text, width
            starts = [line[:1] for line in lines[1:]]
            assert not [c for c in starts if c in CANNOT_START], (width, lines)
            checked += 1
    assert checked > 300


def test_a_long_paragraph_has_no_line_starting_with_a_closing_mark_either() -> None:
    """A cold try: a visit's long content on its sheet had two lines starting with "，" (the fix went
    at most four lines deep into a paragraph)."""
    register_fonts()
    text = "指导果农春季修剪和施肥管理，讲解柑橘溃疡病、炭疽病防治要点。" * 40
    for width in range(380, 520, 7):
        lines = _lines(text, width)
        assert "".join(lines) == text, width
        starts = [line[:1] for line in lines[1:]]
        assert not [c for c in starts if c in CANNOT_START], (
            width,
            [n for n, c in enumerate(starts) if c in CANNOT_START],
        )
