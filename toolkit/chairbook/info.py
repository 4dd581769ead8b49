"""The Thông tin sheet: the bloc's identity, period, chair, deadline, receiving board and SMTP settings."""

from __future__ import annotations

import re
from datetime import date, datetime

from toolkit import texts as T
from toolkit.bloc.model import Bloc, MeetingInfo, Member, email_list, looks_like_email
from toolkit.docstyle import fit_row, page_setup, set_widths
from toolkit.chairbook.cells import Collector, Rows, cell_ref, key_values, text
from toolkit.vntext import match_key, parse_number

SHEET = T.SHEET_INFO
WIDTHS = (46, 80)


# --- writing --------------------------------------------------------------------------------------

def write_info(ws, fmt: dict, bloc: Bloc | None) -> None:
    """Fill the Thông tin sheet: one labelled value per row, drop-downs where there is a choice."""
    set_widths(ws, WIDTHS)
    page_setup(ws, repeat_rows=(0, 0), freeze=(1, 0))
    ws.write_row(0, 0, T.INFO_HEADER, fmt["head"])
    values = _info_values(bloc)
    for row, (key, label) in enumerate(T.INFO_FIELDS.items(), start=1):
        ws.write_string(row, 0, label, fmt["text"])
        value = values.get(key, "")
        fit_row(ws, row, [(label, WIDTHS[0]), (str(value), WIDTHS[1])])
        if isinstance(value, date):
            ws.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        elif isinstance(value, int):
            ws.write_number(row, 1, value, fmt["num"])
        else:
            ws.write_string(row, 1, value, fmt["text"])
    kind_row = list(T.INFO_FIELDS).index("kind") + 1
    period_row = list(T.INFO_FIELDS).index("period") + 1
    ws.data_validation(kind_row, 1, kind_row, 1, {"validate": "list", "source": list(T.BLOC_KINDS.values())})
    ws.data_validation(period_row, 1, period_row, 1, {"validate": "list", "source": list(T.PERIODS.values())})
    _validate_smtp_cells(ws)


def _validate_smtp_cells(ws) -> None:
    """Drop-down for the SMTP/IMAP security, whole number for the ports (the loader checks both again)."""
    rows = {key: row for row, key in enumerate(T.INFO_FIELDS, start=1)}
    for prefix in ("smtp", "imap"):
        ws.data_validation(rows[f"{prefix}_security"], 1, rows[f"{prefix}_security"], 1,
                           {"validate": "list", "source": list(T.SMTP_SECURITY_LABELS.values())})
        ws.data_validation(rows[f"{prefix}_port"], 1, rows[f"{prefix}_port"], 1,
                           {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 65535,
                            "error_message": T.HINT_PORT})


def _info_values(bloc: Bloc | None) -> dict:
    if bloc is None:
        return {"kind": T.BLOC_KINDS["khoi"], "period": T.PERIODS["tong-ket"],
                "smtp_security": T.SMTP_SECURITY_LABELS["starttls"], "imap_security": T.SMTP_SECURITY_LABELS["ssl"]}
    return {
        "name": bloc.name, "kind": T.BLOC_KINDS[bloc.kind], "key": bloc.key, "year": bloc.year,
        "period": T.PERIODS[bloc.period], "chair": bloc.chair, "vice_chair": bloc.vice_chair,
        "place": bloc.place, "deadline": bloc.deadline or "", "board_name": bloc.board_name,
        "board_email": bloc.board_email, "legal_basis": " ".join(bloc.legal_basis),
        "smtp_host": bloc.smtp_host, "smtp_port": bloc.smtp_port or "",
        "smtp_security": T.SMTP_SECURITY_LABELS[bloc.smtp_security], "smtp_user": bloc.smtp_user,
        "sender_email": bloc.sender_email, "sender_name": bloc.sender_name, **_meeting_values(bloc.meeting_info),
        "imap_host": bloc.imap_host, "imap_port": bloc.imap_port or "",
        "imap_security": T.SMTP_SECURITY_LABELS[bloc.imap_security], "imap_user": bloc.imap_user,
    }


def _meeting_values(m: MeetingInfo) -> dict:
    return {"doc_number": m.doc_number, "meeting_time": m.time, "meeting_place": m.place,
            "secretary": m.secretary, "absent": "; ".join(m.absent), "next_chair": m.next_chair,
            "next_vice_chair": m.next_vice_chair}


# --- reading --------------------------------------------------------------------------------------

def read_info(rows: Rows, members: tuple[Member, ...], out: Collector) -> dict:
    """Keyword arguments of `Bloc` from the Thông tin sheet (besides members, criteria, rules)."""
    kv = key_values(rows)

    def get(key: str, required: bool = True):
        label = T.INFO_FIELDS[key]
        value, row = kv.get(match_key(label), (None, 0))
        if required and text(value) == "":
            out.add("bloc.missing_field", sheet=SHEET, cell=cell_ref(2, row) if row else "", field=label)
        return value, cell_ref(2, row) if row else "", label

    info: dict = {}
    name, _, _ = get("name")
    info["name"] = text(name)
    info["key"] = text(get("key", required=False)[0])
    info["kind"] = _choice(get("kind"), T.BLOC_KINDS, out) or "khoi"
    info["period"] = _choice(get("period"), T.PERIODS, out) or "tong-ket"
    year, cell, label = get("year")
    number, _ = parse_number(year) if year is not None else (None, False)
    if year is not None and (number is None or not number.is_integer() or not 2000 <= number <= 2100):
        out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=text(year), field=label,
                hint=T.HINTS["year"])
    info["year"] = int(number) if number and number.is_integer() else 0
    codes = {m.code for m in members}
    for key in ("chair", "vice_chair"):
        value, cell, _ = get(key, required=key == "chair")
        info[key] = text(value)
        if info[key] and members and info[key] not in codes:
            out.add("bloc.unknown_member", sheet=SHEET, cell=cell, code=info[key])
    info["place"] = text(get("place")[0])
    info["deadline"] = _date(get("deadline", required=False), out)
    info["board_name"] = text(get("board_name", required=False)[0])
    info["board_email"] = emails(get("board_email", required=False), out, SHEET)
    basis = text(get("legal_basis", required=False)[0])
    info["legal_basis"] = tuple(p.strip() + ";" for p in basis.split(";") if p.strip())
    info.update(_read_smtp(get, out))
    info["meeting_info"] = _read_meeting_info(get, codes, out)
    info.update(_read_imap(get, out))
    return info


def _read_meeting_info(get, codes: set[str], out: Collector) -> MeetingInfo:
    """The meeting's fields (all optional); member codes must name members."""
    def member_codes(key: str) -> tuple[str, ...]:
        value, cell, _ = get(key, required=False)
        found = tuple(c.strip() for c in re.split(r"[;,]", text(value)) if c.strip())
        for code in found:
            if codes and code not in codes:
                out.add("bloc.unknown_member", sheet=SHEET, cell=cell, code=code)
        return found

    plain = {key: text(get(key, required=False)[0]) for key in ("doc_number", "meeting_time",
                                                               "meeting_place", "secretary")}
    return MeetingInfo(plain["doc_number"], plain["meeting_time"], plain["meeting_place"], plain["secretary"],
                       member_codes("absent"), "".join(member_codes("next_chair")[:1]),
                       "".join(member_codes("next_vice_chair")[:1]))


def _read_smtp(get, out: Collector) -> dict:
    """The sending settings of the info sheet (all optional; a workbook without them is valid)."""
    smtp = {"smtp_host": text(get("smtp_host", required=False)[0]),
            "smtp_user": text(get("smtp_user", required=False)[0]),
            "sender_name": text(get("sender_name", required=False)[0])}
    smtp["smtp_security"] = _choice(get("smtp_security", required=False), T.SMTP_SECURITY_LABELS,
                                    out) or "starttls"
    smtp["smtp_port"] = _port(get("smtp_port", required=False), out)
    smtp["sender_email"] = emails(get("sender_email", required=False), out, SHEET, single=True)
    return smtp


def _read_imap(get, out: Collector) -> dict:
    """The receiving settings (all optional; a workbook without the rows reads as none)."""
    return {"imap_host": text(get("imap_host", required=False)[0]),
            "imap_user": text(get("imap_user", required=False)[0]),
            "imap_security": _choice(get("imap_security", required=False), T.SMTP_SECURITY_LABELS, out) or "ssl",
            "imap_port": _port(get("imap_port", required=False), out)}


def _port(got: tuple, out: Collector) -> int:
    value, cell, label = got
    number, _ = parse_number(value) if text(value) else (0.0, False)
    if number is None or not number.is_integer() or not 0 <= number <= 65535:
        out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=text(value), field=label, hint=T.HINT_PORT)
        number = 0.0
    return int(number)


def emails(got: tuple, out: Collector, sheet: str, single: bool = False) -> str:
    """The cell's text when every address in it looks like an email; else a pinned problem.
    `got`: (value, cell, field label)."""
    value, cell, label = got
    found = text(value)
    addresses = email_list(found)
    if found and (not addresses or not all(map(looks_like_email, addresses))
                  or (single and len(addresses) > 1)):
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=found, field=label, hint=T.HINT_EMAIL)
    return found


def _choice(got: tuple, labels: dict[str, str], out: Collector) -> str | None:
    value, cell, label = got
    if text(value) == "":
        return None
    wanted = {match_key(v): k for k, v in labels.items()}
    wanted.update({match_key(k): k for k in labels})
    key = wanted.get(match_key(text(value)))
    if key is None:
        out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=text(value), field=label,
                hint=T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join(labels.values())))
    return key


def _date(got: tuple, out: Collector) -> date | None:
    value, cell, label = got
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = text(value)
    if not found:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", found)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=found, field=label, hint=T.HINTS["date"])
    return None
