"""One town's quarterly return: the cover, Attachments 2–5, their lists and the explanations."""

from __future__ import annotations

from .cover import Cover, Explanation
from .education import EducationReturn
from .employment import EmploymentReturn, Workshop
from .form import Attachment, FormModel, ListRow
from .leaders import LeadersReturn, TrainingClass, Village
from .training import TrainingReturn


class TownReturn(FormModel):
    cover: Cover
    training: TrainingReturn
    education: EducationReturn
    employment: EmploymentReturn
    workshops: list[Workshop]
    leaders: LeadersReturn
    villages: list[Village]
    classes: list[TrainingClass]
    explanations: list[Explanation] = []


#: The order of the sheets in a return.
ATTACHMENTS: tuple[type[Attachment], ...] = (
    TrainingReturn,
    EducationReturn,
    EmploymentReturn,
    LeadersReturn,
)
LISTS: dict[str, type[ListRow]] = {
    "workshops": Workshop,
    "villages": Village,
    "classes": TrainingClass,
}
