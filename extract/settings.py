"""Every layout heuristic of the extractor as a named setting with a default."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

SHARES = ("line_overlap", "heavy_line_share", "gutter_min_share", "gutter_doc_share", "margin_zone", "repeat_share",
          "title_row_zone", "open_rule_cover", "band_wide_line_share", "container_empty_share", "container_span",
          "text_col_pitch_share", "column_head_overlap", "piece_column_overlap", "toc_match")
"""The settings that are shares (of a length, a count, a page) or ratios: within 0..1."""
def check_numbers(settings: object, shares: tuple[str, ...]) -> None:
    """Refuse a number of a settings dataclass that is not positive, or a share (named in
    `shares`) beyond 0..1, naming the class and the field."""
    cls = type(settings).__name__
    for f in fields(settings):
        v = getattr(settings, f.name)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if v <= 0:
            raise ValueError(f"{cls}.{f.name} must be positive, not {v!r}")
        if f.name in shares and v > 1:
            raise ValueError(f"{cls}.{f.name} is a share: it must be within 0..1, not {v!r}")


OCR_MODES = ("auto", "force", "off")
"""auto: OCR the pages without text; force: every page; off: none."""
OCR_SHARES = ("size_snap", "mark_min_size", "mark_max_size", "mark_solid_fill", "mark_hollow_centre", "size_per_box",
              "low_confidence", "name_match_min", "name_warn_below", "label_match_min")
"""OcrSettings that are shares or ratios."""


@dataclass(frozen=True)
class OcrSettings:
    """Reading pages that have no text layer (issue 21): when, how, and what to doubt."""

    mode: str = "auto"
    """auto: OCR a page with no text and an image on it; force: every page; off: none."""
    threads: int = 1
    """onnxruntime threads per process (pages run in parallel processes with --jobs)."""
    det_max_side: int = 1600
    """The text detector sees the page scaled to at most this many pixels on its long side."""
    default_dpi: float = 200.0
    min_dpi: float = 150.0
    max_dpi: float = 300.0
    """A page is rendered at its scan's own resolution, clamped to this range (default when unknown)."""
    skew_max_deg: float = 1.5
    skew_step_deg: float = 0.05
    """Skew is searched within ±this many degrees, in these steps."""
    skew_probe_width: int = 1200
    """Pixels across the reduced copy the skew is measured on."""
    rule_min_h_pt: float = 30.0
    rule_min_v_pt: float = 22.0
    """A dark run at least this long (points) is a horizontal / vertical rule (longer than any glyph stroke)."""
    rule_max_thickness_pt: float = 2.5
    """…and at most this thick; a thicker horizontal run is a bar (a filled heading band)."""
    rule_contrast: int = 40
    rule_background_pt: float = 6.0
    """Rules are searched in the dark pixels and in those this many grey levels darker than the
    paper's median around them over this many points (a thin grey rule, which Otsu's threshold
    for the text loses once the scan is blurred)."""
    cell_rule_min_pt: float = 5.0
    cell_rule_tol_pt: float = 1.0
    """…but a shorter vertical run, down to this long, is a rule when both its ends lie within
    this many points of horizontal rules (a glyph's stroke stops short of the cell's borders)."""
    bar_min_height_pt: float = 8.0
    """A dark bar at least this tall is a filled rect (a white-on-dark heading)."""
    bar_min_width_pt: float = 20.0
    """…and at least this wide, once the white letters on it are filled in…"""
    bar_hole_max_pt: float = 14.0
    """…a white shape enclosed by ink and at most this wide and tall being a letter (or a glyph's counter)."""
    stroke_tol_pt: float = 1.5
    """A rule inside a text line's box (by this margin) is a glyph stroke and is dropped."""
    bar_join_tol_pt: float = 3.0
    """A column rule ending within this many points of a bar's bottom joins the bar to its table."""
    header_gap_max_pt: float = 24.0
    """Column rules starting at a rule across the table this near below a header bar run up through the bar."""
    size_snap: float = 0.15
    """Line sizes within this share of a page's body size are read as the body size."""
    mark_reach: float = 1.3
    mark_min_size: float = 0.35
    mark_max_size: float = 0.85
    """A dropped bullet is a blot within this × the line height left of the line's box, its
    width and height between these shares of the line height."""
    mark_solid_fill: float = 0.6
    mark_hollow_centre: float = 0.2
    """A blot filling this share of its box is ●; one whose middle third inks less than this is ○; else ※."""
    pitch_min_steps: int = 3
    """A line's type size is the step between its full-width glyphs when it has this many steps…"""
    size_per_box: float = 0.7
    """…else this share of the detected line box's height in points (the box has padding)."""
    glue_gap: float = 0.6
    """A gap up to this × the type size between two glyph boxes of one detected text line is
    closed (the engine's boxes leave slivers; real word spaces come as printed spaces)."""
    heavy_ink_ratio: float = 1.3
    """A line whose glyphs ink this × the page's median share of their box is set in bold."""
    low_confidence: float = 0.6
    """A value read on a text line of lower confidence gets a warning on its project."""
    min_text_chars: int = 1
    """In auto mode a page with fewer text-layer characters than this is read by OCR."""
    name_match_min: float = 0.85
    """A project name read by OCR this near (difflib ratio) to a name of the report's project
    list takes the list's reading…"""
    name_warn_below: float = 0.95
    """…and is warned when less near than this (a character or two apart in a long name is the
    list confirming the name; more is a guess)."""
    label_match_min: float = 0.85
    label_min_chars: int = 5
    label_max_edits: int = 2
    """An OCR line that is no heading but this near (difflib ratio) to a label word of
    headings.toml at least this long, and at most this many characters longer or shorter,
    is read as that label (「主な成果活動指標」: its ・ dropped)."""
    label_wrap_gap: float = 0.5
    """A label wrapped in its cell goes on on the line under it, this × the line's height below at most."""
    kpi_years_back: int = 6
    kpi_years_ahead: int = 1
    """A KPI year read by OCR more than this many years before / after the report's fiscal year is doubted."""

    def __post_init__(self) -> None:
        """Refuse a mode the reader does not know, a number that is not positive, a share beyond 0..1."""
        if self.mode not in OCR_MODES:
            raise ValueError(f"OcrSettings.mode must be auto, force or off, not {self.mode!r}")
        check_numbers(self, OCR_SHARES)
        if not self.min_dpi <= self.default_dpi <= self.max_dpi:
            raise ValueError("OcrSettings.default_dpi must lie within min_dpi..max_dpi")


@dataclass(frozen=True)
class ExtractSettings:
    # --- lines -------------------------------------------------------------
    line_overlap: float = 0.5
    """Two chars are on one line when their vertical extents overlap by this share of the smaller."""
    space_gap: float = 0.25
    """A horizontal gap wider than this × font size between chars becomes a space."""
    segment_gap: float = 2.5
    """A gap wider than this × font size splits one visual line into separate segments (columns)."""
    item_gap: float = 1.0
    """…and a gap wider than this × font size between two items (「○A  ○B」) splits them."""
    segment_size_ratio: float = 1.3
    """Where the type grows by this factor (a title beside body text), the gap is measured in
    the smaller size."""
    fallback_char_size_pt: float = 10
    """A char that reports no font size is measured as this size (pdfplumber gives one to every char)."""
    heavy_line_share: float = 0.5
    """A line is heavy (bold) when more than this share of its chars are set in a heavy font."""

    # --- columns (two-panel layouts) ---------------------------------------
    gutter_search: tuple[float, float] = (0.3, 0.7)
    """Where (share of page width) a gutter between two panels may lie."""
    gutter_min_width: float = 8.0
    """Minimum width in points of an empty vertical band to count as a gutter."""
    gutter_min_share: float = 0.1
    gutter_min_items: int = 3
    """Each side of a gutter must hold at least this share of the page's text segments, and
    at least this many."""
    gutter_max_cross: int = 1
    """Lines that may cross a gutter (a long title over both panels); they end a band."""
    gutter_min_page_items: int = 6
    """A page with fewer lines and tables than this is not searched for a gutter."""

    gutter_split_gap: float = 1.0
    """A line running across a gutter with a gap at least this × the smaller font size beside it (a panel's
    line ending close to the gutter, the other panel's line beginning) is two lines."""
    gutter_doc_share: float = 0.15
    """When this share of a document's pages (of one width) show a gutter, the document is
    printed in two panels: pages that do not show one themselves are read as panels too.
    Below it, a page's own gutter is grids and names printed side by side, not panels."""

    # --- running headers, footers, page numbers ----------------------------
    margin_zone: float = 0.08
    """Top and bottom share of the page height where running headers/footers live."""
    repeat_share: float = 0.25
    """A margin line (digits ignored) repeated on this share of pages is a running header/footer."""
    repeat_min_pages: int = 3
    margin_place_tol_pt: float = 4.0
    """A margin line with the words of one at the same place (to this many points) on the page
    before or after is a running header too, however few pages print it (「第14条 …」 on its
    article's pages)."""
    title_row_zone: float = 0.15
    title_row_tol: float = 2.0
    """A line in this top share of the page, with the same words at the same height (within
    this many points) on `repeat_share` of the pages, is a title row printed on every page (a
    spreadsheet's print titles) and no content."""

    # --- paragraphs --------------------------------------------------------
    label_wrap_tol: float = 1.5
    """A label wrapped in a narrow column goes on in a line starting within this many points
    of its own left edge…"""
    label_wrap_chars: int = 6
    """…that is at most this long (「計画」)."""
    para_gap_extra: float = 0.2
    """A gap wider than the document's usual line pitch by this × font size ends a paragraph."""
    line_end_slack: float = 2.0
    """A line ending within this × font size of its column's right edge continues on the next line."""
    sentence_fit_tol: float = 0.25
    """A line closing a sentence (「。」) that stops short of the right edge by more than what opens
    the next line, plus this × font size, ends its paragraph: a wrap falls short only by what did
    not fit, so there the writer broke the line."""
    word_dot_full_em: float = 1.0
    """A 「・」 opening a cell's line is the dot between two words, not a bullet, after a line
    ending within this × font size of the cell's full lines (and ending no sentence)."""
    cut_fit_tol: float = 0.1
    """A cell piece at a page's foot ran on into the piece below (a row the break cut) only where
    what the piece below opens with would not have fitted in the room its last line left, by this
    × font size: a name ending one character short of a narrow column had room, so it ended."""
    para_gap: float = 1.0
    """A vertical gap larger than this × font size between lines ends a paragraph."""
    para_overlap: float = 0.5
    """…and a line reaching up over the one above by more than this × font size starts one."""
    pitch_size_tol_pt: float = 0.1
    """The document's usual line pitch is measured between lines whose sizes differ by less than
    this many points…"""
    pitch_max_gap: float = 2.0
    """…and whose gap is under this × font size (larger gaps are paragraph breaks, not the pitch)."""
    cell_text_pad: float = 1.5
    """Text wrapped in a table cell reaches within this × font size of the cell's right border
    (cell padding); a line stopping shorter ends its paragraph, even when it is the cell's longest."""
    cell_para_gap: float = 0.3
    """In a table cell, a gap this × font size wider than the cell's line pitch starts a paragraph."""
    same_size_tol: float = 0.6
    """Lines of one paragraph differ in font size by at most this many points."""

    # --- figures -----------------------------------------------------------
    caption_lines: float = 3.0
    """The first caption line starts within this × font size below its image."""
    caption_max_chars: int = 50
    caption_max_width: float = 2.0
    caption_width_slack: float = 2.0
    """A caption in body-size type is at most `caption_max_width` × its image's width, plus
    `caption_width_slack` × its font size (body text spans the column); one in smaller type
    than the page's body text may be wider."""
    figure_text_pad_pt: float = 2.0
    """A line inside an image's height whose centre lies within this many points of its sides
    is text printed in the image."""
    caption_gap: float = 1.0
    """Further caption lines follow within this × font size of the one above."""
    caption_centre_tol: float = 1.5
    """A caption's centre lies within this × font size of its image's centre."""

    # --- tables ------------------------------------------------------------
    table_settings: dict = field(default_factory=lambda: {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
    })
    rule_max_thickness: float = 2.5
    """A rectangle thinner than this (points) in one direction is a rule, read as the line
    along its middle; a larger filled, unstroked one is shading, whose outline does not
    bound cells."""
    open_rule_min: float = 8.0
    """Column rules at least this long that end with no horizontal rule (a table cut by a page
    break) get a closing rule, so the cut row is still read as cells."""
    open_rule_cover: float = 0.9
    """…when horizontal rules cover less than this share of the span between two of them at
    the cut, and at least this share at their other end."""
    rule_min_length: float = 40.0
    """Horizontal rules shorter than this (points) do not bound table rows."""
    taken_rule_pad_pt: float = 2.0
    """Horizontal rules within this many points of a ruled table already found are its own,
    not the rows of a table drawn with horizontal rules only."""
    band_wide_line_share: float = 0.5
    """In a table drawn with horizontal rules only, a band holding one line wider than this share
    of the rules (a caption, an indicator's name) is no row: it separates tables…"""
    band_min_rows: int = 2
    """…and a table of such bands has at least this many rows…"""
    band_min_cell_rows: int = 2
    """…of which at least this many print text side by side (cells), a label with its PDCA tag
    set at the line's end (「〈事業計画〉 … Plan」) aside: under rules with one such row, it is no
    table."""
    band_cell_gap_em: float = 0.5
    """…a line of such a table running over a column bound is cells set close where a gap of at
    least this many of its characters parts it (「R2(2020)」 and 「R3(2021)」 over two columns).
    """
    band_prose_indent_em: float = 2.0
    """…where that line starts within this many of its characters of the rules' left end: a
    line further in (year heads over an empty label cell, 「R2(2020) R3(2021)」 set close) is a
    table's row."""
    enclose_pad_pt: float = 2.0
    """A table standing in another's box grown by this many points is inside it (found twice,
    or a band of rules framing ruled tables)…"""
    nested_table_pad_pt: float = 0.5
    """…and, within this many points, a ruled table nested in a cell of another."""
    min_table_edges: int = 4
    """Pages with fewer ruling edges are not searched for tables (speed)."""
    min_table_rows: int = 1
    min_table_cols: int = 2
    """Smaller ruled shapes are boxes around text (headings, notes), not tables; a one-row
    table is kept (the tail of a row split by a page break)."""
    container_min_cells: int = 8
    container_empty_share: float = 0.6
    """A ruled table with at least this many cells, this share of them empty, is a layout
    table holding nested tables (found again from the rules inside it)."""
    stacked_shared_rules: int = 1
    """Two tables found as one because one stands on the other's bottom rule (rows cut by a
    page break under a header printed again) differ in width and have at most this many
    column rules in common (an outer edge at the margin); the rows of one table share more."""
    stacked_rule_tol: float = 2.0
    """Points within which two column rules (or table edges) count as the same."""
    container_pad: float = 1.5
    container_span: float = 0.97
    """Rules running across this share of a layout table are its own separators, not a nested table's."""
    text_cell_gap: float = 1.0
    """In a table printed without rules, a gap wider than this × font size separates cells."""
    text_row_gap: float = 2.5
    """…rows follow each other within this × font size."""
    text_label_room: float = 12.0
    """…its 目標/実績 labels stand within this × font size left of the first year heading."""
    unit_chars: int = 4
    """A unit printed in a KPI row of its own column (回, 件, 千人) is at most this long."""
    year_heading_chars: int = 14
    """A KPI grid's year heading is at most this long (「R2 (2020) 年度」); longer text naming a
    year (a line of the other panel at the same height, 「令和4年度以降の対応」) is not one."""
    label_column_tol: float = 2.0
    """A KPI grid's 目標/実績 labels end within this × font size of the rightmost one (the label
    column nearest the years)."""
    text_wrap_gap: float = 0.8
    """…a cell's wrapped line (「度」 under 「R2 (2020) 年」, 「(件)」 under 「目標」) follows the
    line above within this × font size."""
    text_col_reach: float = 3.0
    """…a value belongs to the year heading it overlaps or is within this × font size of…"""
    text_col_pitch_share: float = 0.45
    """…or within this share of the distance between year headings (wide columns, values set
    flush right: under half, so a value is never as near the next column's heading)."""
    row_key_chars: int = 6
    """A first-column cell this short (「16条」) after a page break, under one as short or an
    empty one, opens a new row."""
    column_head_overlap: float = 0.8
    """A cell on the page after a two-label header row (Check | Action) goes on in the column
    of the head over this share of its width (the header is not printed again)."""
    cell_edge_tol: float = 2.0
    """Points by which a row may reach above the bottom of the first-column cell before it and
    still count as below it (a label cell cut by a page break covers no rows under it)."""
    continuation_x_tol: float = 6.0
    """Tables on consecutive pages whose column edges match within this many points are one table."""

    # --- titles ------------------------------------------------------------
    title_max_chars: int = 60
    """A project title is one short line; longer lines are never titles."""
    title_max_lines: int = 3
    """A title in larger type may wrap over this many lines (narrow panels)."""
    title_max_blocks: int = 2
    """A project title is at most this many paragraphs (a group's name over the sub-project's)."""
    listed_name_min_chars: int = 4
    """Names in the report's project list shorter than this (after normalizing) are no project names."""
    title_size_delta: float = 0.5
    """Title lines are at least body size + this (points), unless alone on a band."""
    listed_title_search: int = 4
    """When the title typography finds is not in the report's project list, this many blocks
    before the opening label are searched for one the list names."""

    kpi_name_search: int = 8
    """How many blocks back from a KPI table its name is looked for (side-by-side tables and
    their names interleave)."""
    side_by_side_tol: float = 6.0
    """KPI tables (and the names printed over them) whose tops differ by at most this many
    points stand side by side."""
    grid_above_tol_pt: float = 2.0
    """A KPI piece goes under an open grid whose bottom is at most this many points below the
    piece's top."""
    piece_column_overlap: float = 0.8
    """Two KPI pieces cut off by a break, one right under the other, are one piece when their
    spans overlap by this share of the narrower one."""
    kpi_name_gap: float = 3.0
    """An indicator's name stands at most this × its font size above its table (or above the
    description or note under it)."""

    beside_label_reach_pt: float = 1.0
    """A label printed beside its content (a badge centred on a framed box) reads after the
    content's first line: a paragraph right of the label whose bottom reaches to within this
    many points of the label's top is the start of the label's content."""
    beside_label_align_pt: float = 3.0
    """…when its left edge and that of the paragraph after the label agree within this many points."""

    toc_row_tol_pt: float = 2.0
    """A 目次 title and a page number whose tops differ by at most this many points are one entry
    (a layout that sets the number flush right with no leaders between)."""
    toc_level_tol_pt: float = 4.0
    """目次 entries indented within this many points of the leftmost are top-level chapters."""

    toc_match: float = 0.85
    """A heading matches a 目次 entry at this difflib ratio (a year may be worded differently)."""

    # --- self-check warnings (reconcile) ----------------------------------------
    listed_page_slack: int = 2
    """A listed project read more than this many pages outside the pages the project list
    (施策一覧) gives it is warned (listed_project_elsewhere)."""
    name_doubt_chars: int = 50
    """A project name longer than this, holding a sentence's end (。) or read as an article's
    heading (「16条 地域の活性化の促進」) is text taken for a name (name_doubtful)."""
    label_fragment_min_chars: int = 2
    label_fragment_max_chars: int = 8
    """Text of this length after a Check/Action item's last sentence that begins a section
    label (「検証」 of 「検証・改善」) is the label run into the item (item_has_label)."""
    peer_section_share: float = 0.8
    """A section (goal, plan, Check …) that this share of a kind's projects have is expected of
    every project of that kind where its label is printed on the project's pages (section_missing)…"""
    peer_section_unlabelled_share: float = 0.95
    """…and where no label for it was seen at all, when this share of them have it."""
    pairing_share: float = 0.8
    """The layout pairs Check and Action items when this share of the projects with Check items
    have Action items too; then every Check is to be answered and every Action to answer one."""
    sentence_end_share: float = 0.9
    """Where this share of a field's items (Plan, Check, Action) end a sentence (。), one that does not
    was cut short or ran on (item_unfinished)…"""
    own_sentence_share: float = 0.5
    """…in the projects where more than this share of the field's own items end one (a project
    whose items are phrases is printed so)."""
    indicator_name_max_projects: int = 2
    """An indicator name read in more projects than this is a table header, not a name
    (indicator_name_shared)."""
    unread_share_max: float = 0.25
    unread_min_chars: int = 120
    """A body page whose characters in no field exceed this share of its text, and this many,
    is warned (page_text_unread)."""

    # --- speed ---------------------------------------------------------------
    page_chunks_per_job: int = 4
    """With pages laid out in parallel, each process takes about this many chunks of pages."""
    parallel_min_pages_per_job: int = 2
    """A document's pages are laid out in parallel only when there are at least this many per process."""
    gc_allocations: int = 100_000
    """While pages are read, the garbage collector runs after this many allocations (Python's
    default is 700): pdfplumber makes a dict per glyph, none in a cycle, and collecting every
    700 of them costs about a tenth of the parse and frees nothing."""

    # --- garbled text ------------------------------------------------------
    check_garbled: bool = True
    """Refuse a PDF whose text layer is garbled ((cid:N) glyphs, private-use characters)."""

    # --- OCR (pages with no text layer) -----------------------------------
    ocr: OcrSettings = field(default_factory=OcrSettings)

    def __post_init__(self) -> None:
        """Refuse a setting out of range (every number positive, every share within 0..1), so a
        typo fails at once rather than as a silently different reading."""
        check_numbers(self, SHARES)
        lo, hi = self.gutter_search
        if not 0 <= lo < hi <= 1:
            raise ValueError(f"ExtractSettings.gutter_search must be two shares of the page width, "
                             f"the smaller first, not {self.gutter_search!r}")
