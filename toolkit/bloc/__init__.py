"""Stage 1 — define: the bloc (members, period, criteria tree, rules), pure data; its workbook is
`toolkit.chairbook`."""

from toolkit.bloc.builtin import BUILTIN_BLOCS, DEFAULT_BLOC, builtin_bloc, default_criteria
from toolkit.bloc.model import (KINDS, LEAF_KINDS, Bloc, CriteriaTree, Criterion, GradeBand, Kind, Member,
                                Rules, Section, TieBreak, TieKey, TieStep, slugify)

__all__ = ["BUILTIN_BLOCS", "DEFAULT_BLOC", "KINDS", "LEAF_KINDS", "Bloc", "CriteriaTree", "Criterion",
           "GradeBand", "Kind", "Member", "Rules", "Section", "TieBreak", "TieKey", "TieStep",
           "builtin_bloc", "default_criteria", "slugify"]
