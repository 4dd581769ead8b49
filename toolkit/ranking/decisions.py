"""Votes, disqualifiers and award proposals: the meeting's decisions on the ranked table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.meeting.model import Vote
from toolkit.ranking.scores import EPS
from toolkit.vntext import vn_number

DECISION_COLUMNS = ["votes_pct", "vote_passed", "disqualified", "disqualify_reason", "award",
                    "gov_flag_candidate"]


def decide(bloc: Bloc, table: pd.DataFrame, votes: Mapping[str, Vote] | Iterable[Vote],
           disqualified: Mapping[str, Iterable[str]], notes: dict[str, list[str]]) -> None:
    """Votes (quorum, approval), disqualifiers and award proposals under the bloc's quotas."""
    rules, members = bloc.rules, len(bloc.members)
    table["votes_pct"] = float("nan")
    table["vote_passed"] = pd.Series([None] * len(table), index=table.index, dtype=object)
    table["disqualified"] = False
    table["disqualify_reason"] = ""
    table["award"] = ""
    table["gov_flag_candidate"] = False
    votes = list(votes.values()) if isinstance(votes, Mapping) else list(votes)
    for v in votes:
        if v.unit not in table.index:
            continue
        quorum_met = v.present + EPS >= rules.quorum * members
        table.at[v.unit, "votes_pct"] = round(100.0 * v.votes_for / members, 2)
        table.at[v.unit, "vote_passed"] = quorum_met and v.votes_for > rules.approval * members + EPS
        if not quorum_met:
            notes[v.unit].append(T.rules.NOTE_NO_QUORUM.format(
                present=v.present, members=members, needed=_quorum_needed(rules.quorum, members)))
        elif not table.at[v.unit, "vote_passed"]:
            notes[v.unit].append(T.rules.NOTE_VOTE_FAILED.format(pct=vn_number(round(100.0 * v.votes_for / members, 2))))
    for unit, reasons in disqualified.items():
        reasons = [reasons] if isinstance(reasons, str) else reasons
        labels = [T.rules.DISQUALIFIER_LABELS.get(r, r) for r in reasons if r]
        if unit in table.index and labels:
            table.at[unit, "disqualified"] = True
            table.at[unit, "disqualify_reason"] = "; ".join(labels)
            notes[unit].append(T.rules.NOTE_DISQUALIFIED.format(reason="; ".join(labels)))
    tied = _propose_awards(bloc, table, voted=bool(votes), notes=notes)
    _explain_no_award(bloc, table, {v.unit for v in votes} if votes else None, tied, notes)


def _quorum_needed(quorum: float, members: int) -> int:
    needed = quorum * members
    return int(needed) if abs(needed - round(needed)) < EPS else int(needed) + 1


def _propose_awards(bloc: Bloc, table: pd.DataFrame, voted: bool, notes: dict[str, list[str]]) -> set[str]:
    """In rank order: the leading eligible unit(s) of the top grade get the flag (and are tagged as
    Government-flag candidates), the next eligible units of the two top grades the certificate.
    Eligible: counted, not disqualified, vote passed (when the meeting voted). Units tied across a
    quota's edge get no proposal and a note: the meeting decides between them (returned)."""
    bands = [b.name for b in sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)]
    ranked = table[table["counted"]].sort_values(["rank", "order"], kind="stable")
    eligible = ranked[~ranked["disqualified"].astype(bool)
                      & (ranked["vote_passed"].map(lambda v: v is True) if voted else True)]
    held: set[str] = set()
    tied: set[str] = set()
    for award, grades, quota in ((T.rules.AWARD_FLAG, bands[:1], bloc.rules.flag_quota),
                                 (T.rules.AWARD_CERTIFICATE, bands[:2], bloc.rules.certificate_quota)):
        candidates = eligible[eligible["grade"].isin(grades) & ~eligible.index.isin(held)]
        given = 0
        for _, same_rank in candidates.groupby("rank", sort=True):
            if given >= quota:
                break
            units = list(same_rank.index)
            if given + len(units) > quota:
                for unit in units:
                    notes[unit].append(T.rules.NOTE_TIED_AT_QUOTA.format(award=award))
                held.update(units)
                tied.update(units)
                break
            table.loc[units, "award"] = award
            held.update(units)
            given += len(units)
    table["gov_flag_candidate"] = table["award"] == T.rules.AWARD_FLAG
    if not voted:
        for unit in table.index[table["award"] != ""]:
            notes[unit].append(T.rules.NOTE_AWAITING_VOTE)
    return tied


def _explain_no_award(bloc: Bloc, table: pd.DataFrame, voted_units: set[str] | None, tied: set[str],
                      notes: dict[str, list[str]]) -> None:
    """Why each counted unit has no proposal: disqualified or tied (noted already), grade too low,
    not voted on (when the meeting voted on others), vote failed or invalid (noted already), else
    the quotas went to units ranked above it."""
    bands = [b.name for b in sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)][:2]
    rules = bloc.rules
    for unit, r in zip(table.index, table.to_dict("records")):
        if not r["counted"] or r["award"] or unit in tied or r["disqualified"]:
            continue
        if r["grade"] not in bands:
            notes[unit].append(T.rules.NOTE_GRADE_TOO_LOW.format(grade=r["grade"], needed=T.rules.OR.join(bands)))
        elif voted_units is not None and unit not in voted_units:
            notes[unit].append(T.rules.NOTE_NOT_VOTED)
        elif r["vote_passed"] is None or bool(r["vote_passed"]):
            notes[unit].append(T.rules.NOTE_QUOTA_USED.format(flags=rules.flag_quota,
                                                              certificates=rules.certificate_quota))
