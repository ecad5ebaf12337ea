"""Labels printed beside their content: put the content's first lines back after the label.

A badge such as 「施策における目標」 is often centred vertically on a framed box of two or
more lines. Read top to bottom, the box's first line comes before the badge, where pass 1 takes
it for the project's title and the goal loses its start. A paragraph right of a label, ending
level with the label's top, and aligned with the paragraph right after the label, is the first
part of that label's content: it moves behind the label and joins the rest.
"""
from __future__ import annotations

import logging

from .blocks import Block, Label
from .paragraphs import Para
from .patterns import SENTENCE_END
from .settings import ExtractSettings

log = logging.getLogger(__name__)


def _starts_content(before: Block, label: Label, after: Block, s: ExtractSettings) -> bool:
    """Is `before` the first part of `label`'s content, printed beside it and above its text?"""
    if not (isinstance(before, Para) and isinstance(after, Para)):
        return False
    if not (before.page == label.page == after.page):
        return False
    bx0, btop, _, bbottom = before.bbox
    lx1, ltop = label.bbox[2], label.bbox[1]
    return (bx0 >= lx1 and after.bbox[0] >= lx1 and btop < ltop
            and bbottom >= ltop - s.beside_label_reach_pt
            and abs(bx0 - after.bbox[0]) <= s.beside_label_align_pt)


def labels_before_content(blocks: list[Block], s: ExtractSettings) -> list[Block]:
    """The blocks with each beside-label's content in one piece after its label."""
    out = list(blocks)
    i = 1
    while i < len(out) - 1:
        before, label, after = out[i - 1], out[i], out[i + 1]
        if isinstance(label, Label) and _starts_content(before, label, after, s):
            log.debug("p%d: %r moved after the label %r beside it", label.page, before.text[:20], label.text)
            ends = before.text.endswith(SENTENCE_END)
            out[i - 1:i + 2] = [label, before, after] if ends else [label, Para(lines=[*before.lines, *after.lines])]
        i += 1
    return out
