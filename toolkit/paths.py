"""Every path of a bloc's folder, named once; and the one listing of an inbox.

<root>/khoi.xlsm (or khoi.xlsx)   chair's workbook (and khoi.py, the button's shim)
<root>/phieu/                      generated forms, to send
<root>/phieu/cham-cheo/            generated peer-scoring forms
<root>/nhan/                       returned forms (never modified)
<root>/nhan/cham-cheo/             returned peer-scoring forms
<root>/nhan/thu-goc/               the original messages (.eml) `thidua nhan` saved the returns from
<root>/ket-qua/                    summary workbooks, the button's log
<root>/ket-qua/phan-hoi/           one feedback workbook per unit with problems
<root>/ket-qua/don-vi/             each ranked unit's own result workbook (`thidua send ket-qua`)
<root>/ket-qua/thu/                .eml drafts and the send log
<root>/ket-qua/giay-to/            the meeting's papers (.docx, .pdf): ballots, tally, minutes, proposal
<root>/ket-qua/lich-su/            the previous years' summaries, copied by `thidua init NEW --tu OLD`
<root>/.thidua/khoa-niem-phong     the chair's seal secret (owner-only; never mailed, never in a form)
<root>/.thidua/phieu-da-phat.json  what the forms were issued with: criteria and rules per issue (chair-only)
<root>/.thidua/thu-da-nhan.json    what `thidua nhan` fetched (UIDVALIDITY+UID, Message-ID, files saved)
<root>/.thidua/demo                marks a folder `thidua demo` made (it may fill and vote there again)

The inbox and the output may be elsewhere (the button's control sheet, `consolidate(inbox=, output=)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CHAIR_NAMES = ("khoi.xlsm", "khoi.xlsx")  # the macro-enabled workbook wins when both exist
FORMS_DIR, INBOX_DIR, OUTPUT_DIR = "phieu", "nhan", "ket-qua"
PEER_DIR = "cham-cheo"  # under phieu/ (forms to send) and nhan/ (forms returned); also the forms' prefix
FEEDBACK_DIR = "phan-hoi"
UNIT_RESULTS_DIR = "don-vi"
MAIL_DIR = "thu"
PAPERS_DIR, HISTORY_DIR = "giay-to", "lich-su"
MAIL_LOG_NAME = "nhat-ky-gui.csv"
SECRET_DIR, SECRET_FILE = ".thidua", "khoa-niem-phong"
ISSUED_FILE = "phieu-da-phat.json"
DEMO_MARK = "demo"
ORIGINALS_DIR, INTAKE_STATE = "thu-goc", "thu-da-nhan.json"
IGNORED_PREFIXES = (".", "~$", ".~lock")  # hidden files and the lock files of Excel and LibreOffice


@dataclass(frozen=True)
class BlocFolder:
    """A bloc's folder: `root`, plus where returns are read (`inbox`) and results written (`output`)."""

    root: Path
    inbox: Path
    output: Path

    @classmethod
    def at(cls, root: Path, inbox: Path | None = None, output: Path | None = None) -> BlocFolder:
        """The folder at `root`; `inbox`/`output` override nhan/ and ket-qua/ when given."""
        root = Path(root)
        return cls(root, Path(inbox) if inbox else root / INBOX_DIR,
                   Path(output) if output else root / OUTPUT_DIR)

    @property
    def chair(self) -> Path | None:
        """The chair's workbook that exists, or None."""
        return next((p for p in (self.root / n for n in CHAIR_NAMES) if p.is_file()), None)

    @property
    def chair_xlsm(self) -> Path:
        return self.root / CHAIR_NAMES[0]

    @property
    def chair_xlsx(self) -> Path:
        return self.root / CHAIR_NAMES[1]

    @property
    def forms(self) -> Path:
        return self.root / FORMS_DIR

    @property
    def peer_forms(self) -> Path:
        return self.forms / PEER_DIR

    @property
    def peer_inbox(self) -> Path:
        return self.inbox / PEER_DIR

    @property
    def feedback(self) -> Path:
        """Feedback workbooks: always under the folder's own ket-qua/, like the mail that sends them."""
        return self.root / OUTPUT_DIR / FEEDBACK_DIR

    @property
    def unit_results(self) -> Path:
        """Each ranked unit's own result workbook, under `output` beside the summary it agrees with."""
        return self.output / UNIT_RESULTS_DIR

    @property
    def mail(self) -> Path:
        return self.root / OUTPUT_DIR / MAIL_DIR

    @property
    def papers(self) -> Path:
        """The meeting's papers, under `output` beside the summary they go with."""
        return self.output / PAPERS_DIR

    @property
    def history(self) -> Path:
        """Summaries of the previous periods (toolkit.rollover); `thidua history` finds them there."""
        return self.root / OUTPUT_DIR / HISTORY_DIR

    @property
    def mail_log(self) -> Path:
        return self.mail / MAIL_LOG_NAME

    @property
    def secret(self) -> Path:
        """The chair's seal secret (toolkit.seal)."""
        return self.root / SECRET_DIR / SECRET_FILE

    @property
    def issued(self) -> Path:
        """The definitions the forms were issued with (toolkit.issued), beside the seal secret."""
        return self.root / SECRET_DIR / ISSUED_FILE

    @property
    def demo_mark(self) -> Path:
        """Present in a folder `thidua demo` made: the only chair's workbook it types into."""
        return self.root / SECRET_DIR / DEMO_MARK

    @property
    def originals(self) -> Path:
        """The original messages the returns came in (toolkit.intake)."""
        return self.inbox / ORIGINALS_DIR

    @property
    def intake_state(self) -> Path:
        """What was fetched from the mailbox already (chair-only, beside the seal secret)."""
        return self.root / SECRET_DIR / INTAKE_STATE

    @property
    def layout(self) -> tuple[Path, ...]:
        """The folders `init` creates."""
        return self.forms, self.inbox, self.output

    def returned(self) -> list[Path]:
        """The returned forms in the inbox."""
        return inbox_files(self.inbox)

    def peer_returned(self) -> list[Path]:
        """The returned peer-scoring forms in the inbox's cham-cheo/."""
        return inbox_files(self.peer_inbox)


def inbox_files(folder: Path) -> list[Path]:
    """The files of an inbox folder a unit may have sent (lock and hidden files skipped), and its
    symbolic links, which the reader reports without following them; none when the folder does not exist."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if (p.is_symlink() or p.is_file()) and not p.name.startswith(IGNORED_PREFIXES))
