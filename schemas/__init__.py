"""Pydantic schemas of the 2020 双扶 quarterly return (Attachments 2–5) and its reference data."""

from .cover import Cover, Explanation, parse_period, period_months
from .education import EducationReturn
from .employment import EmploymentReturn, Workshop
from .form import VILLAGE_KINDS, Count, Money
from .leaders import LeadersReturn, TrainingClass, Village
from .policy import POLICY_2020, FieldMeta, Policy, meta
from .registry import (
    FormsInfo,
    Indicator,
    IndicatorRegistry,
    Plausibility,
    Reference,
    TownRef,
    Units,
    VillageRef,
)
from .townreturn import ATTACHMENTS, LISTS, TownReturn
from .training import TrainingReturn

__all__ = [
    "ATTACHMENTS",
    "POLICY_2020",
    "FieldMeta",
    "Policy",
    "meta",
    "LISTS",
    "VILLAGE_KINDS",
    "Count",
    "Cover",
    "EducationReturn",
    "EmploymentReturn",
    "Explanation",
    "FormsInfo",
    "Indicator",
    "IndicatorRegistry",
    "LeadersReturn",
    "Money",
    "Plausibility",
    "Reference",
    "TownRef",
    "TownReturn",
    "TrainingClass",
    "TrainingReturn",
    "Units",
    "Village",
    "VillageRef",
    "Workshop",
    "parse_period",
    "period_months",
]
