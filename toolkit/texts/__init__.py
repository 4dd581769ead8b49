"""Every text a unit or the chair sees, in Vietnamese (NFC), kept in this package.

Code refers to these names; no user-facing Vietnamese string lives anywhere else.
Sub-modules group texts by stage: `problems` (the problem catalog), `cli`, ...
"""

from toolkit.texts.labels import *  # noqa: F401,F403
from toolkit.texts import cli, problems  # noqa: F401,E402
from toolkit.texts import summary  # noqa: F401,E402
from toolkit.texts import rules  # noqa: F401,E402
from toolkit.texts import button  # noqa: F401,E402
from toolkit.texts import seal  # noqa: F401,E402
from toolkit.texts import office  # noqa: F401,E402
from toolkit.texts import papers  # noqa: F401,E402
from toolkit.texts import intake  # noqa: F401,E402
from toolkit.texts import unit_result  # noqa: F401,E402
