"""What `thidua nhan` remembers (.thidua/thu-da-nhan.json): the messages fetched, by UIDVALIDITY+UID
and by Message-ID, and when and from whom each saved file came; and since when to look (the send log).

The file is rewritten atomically after every message, so a run cut short loses nothing it saved.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from toolkit.fileio import atomic_path
from toolkit.problems import FolderError
from toolkit.texts import intake as TI
from toolkit.texts import mail as M

VERSION = 1


@dataclass
class FetchState:
    path: Path
    fetched: dict[str, set[int]] = field(default_factory=dict)  # UIDVALIDITY -> UIDs
    message_ids: set[str] = field(default_factory=set)
    files: dict[str, dict] = field(default_factory=dict)  # path under the bloc folder -> where from

    @classmethod
    def load(cls, path: Path) -> FetchState:
        """The state at `path` (empty when there is none); FolderError when it cannot be read."""
        state = cls(Path(path))
        if not state.path.is_file():
            return state
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
            state.fetched = {k: set(map(int, v)) for k, v in data["fetched"].items()}
            state.message_ids = set(data["message_ids"])
            state.files = dict(data["files"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FolderError(TI.BAD_STATE.format(path=state.path, reason=exc)) from None
        return state

    def has_uid(self, validity: int, uid: int) -> bool:
        return uid in self.fetched.get(str(validity), set())

    def has_message_id(self, message_id: str) -> bool:
        return bool(message_id) and message_id in self.message_ids

    def remember_file(self, relative: str, received: datetime, sender: str, unit: str) -> None:
        self.files[relative] = {"received": received.isoformat(timespec="seconds"), "from": sender, "unit": unit}

    def remember(self, validity: int, uid: int, message_id: str) -> None:
        """Record one message as fetched and write the state at once."""
        self.fetched.setdefault(str(validity), set()).add(uid)
        if message_id:
            self.message_ids.add(message_id)
        self._write()

    def received_at(self, relative: str) -> datetime | None:
        entry = self.files.get(relative)
        return datetime.fromisoformat(entry["received"]) if entry else None

    def _write(self) -> None:
        data = {"version": VERSION, "fetched": {k: sorted(v) for k, v in self.fetched.items()},
                "message_ids": sorted(self.message_ids), "files": self.files}
        with atomic_path(self.path) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def forms_sent_since(log: Path) -> date | None:
    """The day the forms first went out (sent or drafted), from the send log; None when never."""
    if not Path(log).is_file():
        return None
    wanted = {M.RESULTS["sent"], M.RESULTS["drafted"]}
    with open(log, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    days = []
    for row in rows:
        if len(row) >= len(M.LOG_COLUMNS) and row[1] == M.KINDS["forms"] and row[9] in wanted:
            try:
                days.append(datetime.fromisoformat(row[0]).date())
            except ValueError:
                continue
    return min(days) if days else None
