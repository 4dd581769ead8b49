"""Stage 1 — define: the bloc (members, period, criteria tree, rules) and the chair's workbook."""

from toolkit.bloc.builtin import BUILTIN_BLOCS, DEFAULT_BLOC, builtin_bloc, default_criteria
from toolkit.bloc.model import (KINDS, LEAF_KINDS, Bloc, CriteriaTree, Criterion, GradeBand, Kind, Member,
                                Rules, Section, TieBreak, TieKey, TieStep, slugify)
from toolkit.bloc.workbook import add_bloc_sheets, load_bloc, write_bloc_workbook

__all__ = ["BUILTIN_BLOCS", "DEFAULT_BLOC", "KINDS", "LEAF_KINDS", "Bloc", "CriteriaTree", "Criterion",
           "GradeBand", "Kind", "Member", "Rules", "Section", "TieBreak", "TieKey", "TieStep", "add_bloc_sheets",
           "builtin_bloc", "default_criteria", "load_bloc", "slugify", "write_bloc_workbook"]
