"""The four papers of the year-end meeting as python-docx documents: ballots, tally, minutes, proposal."""

from __future__ import annotations

from toolkit import texts as T
from toolkit.papers import page
from toolkit.papers.content import Candidate, Papers
from toolkit.texts import papers as P


def _top(p: Papers, numbered: bool = False) -> page.Top:
    """The header: the bloc, the place-and-date line left blank (the meeting dates the papers), and for
    the proposal letter its number and V/v line."""
    bloc = p.bloc
    date_line = P.DATE_BLANK.format(place=bloc.place or P.BLANK, blank=P.BLANK, year=bloc.year)
    if not numbered:
        return page.Top(bloc.name.upper(), date_line)
    number = P.PROPOSAL_NUMBER.format(number=p.info(bloc.meeting_info.doc_number), code=P.PROPOSAL_CODE[bloc.kind])
    return page.Top(bloc.name.upper(), date_line, number, P.PROPOSAL_ABOUT.format(period=p.period))


def _chair_block(p: Papers) -> list[tuple[str, str]]:
    """TM. KHỐI THI ĐUA / TRƯỞNG KHỐI (or the cụm's), the hint, room to sign, the chair unit."""
    lead, role = T.SIGN_CHAIR[p.bloc.kind]
    chair = p.bloc.chair_member
    return [(lead, "bold"), (role, "bold"), (P.SIGN_SEAL_HINT, "italic"),
            (chair.name if chair else P.BLANK, "space")]


def _secretary_block() -> list[tuple[str, str]]:
    return [(P.SECRETARY, "bold"), (P.SIGN_HINT, "italic"), (P.BLANK, "space")]


def ballot(doc, p: Papers) -> None:
    """One ballot per member present, each on its own page."""
    rows = [(str(i), c.name, c.total, c.grade, c.award or "—", P.BOX, P.BOX) for i, c in enumerate(p.candidates, 1)]
    for n, voter in enumerate(p.present):
        if n:
            page.page_break(doc)
        page.header(doc, _top(p))
        page.title(doc, P.BALLOT_TITLE, P.BALLOT_SUBTITLE.format(period=p.period, bloc=p.bloc.name))
        page.para(doc, P.BALLOT_VOTER.format(unit=voter.name), bold=True)
        if rows:
            page.table(doc, P.BALLOT_COLUMNS, rows, (12, 53, 20, 22, 28, 15, 15))
        else:
            page.para(doc, P.NO_CANDIDATES, italic=True)
        page.para(doc, P.BALLOT_HINT, italic=True, size=11)


def tally(doc, p: Papers) -> None:
    members = len(p.bloc.members)
    page.header(doc, _top(p))
    page.title(doc, P.TALLY_TITLE, P.TALLY_SUBTITLE.format(period=p.period, bloc=p.bloc.name))
    for line in P.TALLY_COUNTS:
        page.para(doc, line.format(members=members, present=len(p.present), issued=len(p.present), blank=P.BLANK),
                  indent=True)
    rows = [(str(i), c.name, c.award or "—", P.BLANK if c.votes_for is None else str(c.votes_for), c.votes_pct,
             P.TALLY_PASSED[c.passed]) for i, c in enumerate(p.tallied, 1)]
    page.table(doc, P.TALLY_COLUMNS, rows, (12, 58, 30, 23, 20, 22))
    page.para(doc, P.TALLY_HINT, italic=True, size=11)
    page.signatures(doc, [[(P.TALLY_COMMITTEE, "bold"), (P.SIGN_HINT, "italic"), (P.BLANK, "space")],
                          _chair_block(p)])


def minutes(doc, p: Papers) -> None:
    bloc, info = p.bloc, p.bloc.meeting_info
    members, kind = len(bloc.members), P.KIND_WORD[bloc.kind].lower()
    page.header(doc, _top(p))
    page.title(doc, P.MINUTES_TITLE, P.MINUTES_SUBTITLE.format(period=T.period_title(bloc.period, bloc.year),
                                                                  bloc=bloc.name))
    page.para(doc, P.MINUTES_HEADINGS[0], bold=True)
    chair = bloc.chair_member
    for line in (P.MINUTES_TIME.format(time=p.info(info.time)), P.MINUTES_PLACE.format(place=p.info(info.place)),
                 P.MINUTES_CHAIR.format(chair=chair.name if chair else P.BLANK, kind=kind,
                                        secretary=p.info(info.secretary)),
                 P.MINUTES_PRESENT.format(count=len(p.present), members=members,
                                          names=", ".join(m.name for m in p.present) or P.NO_UNITS),
                 P.MINUTES_ABSENT.format(count=len(p.absent), names=", ".join(m.name for m in p.absent) or P.NO_UNITS),
                 P.MINUTES_QUORUM[len(p.present) >= p.quorum_needed].format(needed=p.quorum_needed, members=members)):
        page.para(doc, line, indent=True)
    page.para(doc, P.MINUTES_HEADINGS[1], bold=True)
    page.para(doc, P.MINUTES_REVIEW.format(period=p.period), indent=True)
    page.table(doc, P.MINUTES_COLUMNS, [(str(i), c.name, c.total, c.grade, c.rank, c.award or "—")
                                        for i, c in enumerate(p.ranked, 1)], (12, 58, 22, 23, 20, 30))
    if p.left_out:
        page.para(doc, P.MINUTES_NOT_COUNTED.format(names="; ".join(p.left_out)), indent=True)
    page.para(doc, P.MINUTES_HEADINGS[2], bold=True)
    voted = [c for c in p.ranked if c.passed is not None]
    for c in voted:
        page.para(doc, P.MINUTES_VOTE_LINE.format(unit=c.name, pct=c.votes_pct, result=P.TALLY_PASSED[c.passed]),
                  indent=True)
    if not voted:
        page.para(doc, P.MINUTES_VOTE_NONE, indent=True, italic=True)
    page.para(doc, P.MINUTES_HEADINGS[3], bold=True)
    page.para(doc, P.MINUTES_CONCLUSION, indent=True)
    _award_lists(doc, p)
    page.para(doc, P.MINUTES_CLOSING.format(blank=P.BLANK), indent=True)
    page.signatures(doc, [_secretary_block(), _chair_block(p)])


def proposal(doc, p: Papers) -> None:
    bloc = p.bloc
    board = bloc.board_name or P.BLANK
    page.header(doc, _top(p, numbered=True))
    page.title(doc, P.PROPOSAL_TITLE)
    page.para(doc, P.PROPOSAL_TO.format(board=board), align=page.CENTER)
    for line in bloc.legal_basis:
        page.para(doc, line, italic=True, indent=True)
    page.para(doc, P.PROPOSAL_RESULT.format(blank=P.BLANK, bloc=bloc.name, period=p.period), indent=True)
    _award_lists(doc, p)
    page.para(doc, P.PROPOSAL_ENCLOSURES_TITLE, bold=True)
    for line in P.PROPOSAL_ENCLOSURES:
        page.para(doc, f"- {line}", indent=True)
    page.para(doc, P.PROPOSAL_CLOSING.format(board=board), indent=True)
    page.signatures(doc, [_chair_block(p)], left_notes=(P.RECIPIENTS_TITLE, *P.RECIPIENTS))


def _award_lists(doc, p: Papers) -> None:
    """The units proposed for each award, with their totals and grades (the section left out when empty)."""
    if not any(p.awarded(kind) for kind in P.PROPOSAL_SECTIONS):
        page.para(doc, P.NO_AWARDS, indent=True, italic=True)
    for kind, heading in P.PROPOSAL_SECTIONS.items():
        units: tuple[Candidate, ...] = p.awarded(kind)
        if not units:
            continue
        page.para(doc, heading.format(count=len(units)), indent=True, bold=True)
        page.table(doc, P.PROPOSAL_COLUMNS, [(str(i), c.name, c.total, c.grade, c.rank)
                                             for i, c in enumerate(units, 1)], (12, 78, 24, 29, 22))
