"""Actions other apps offer on a duty of an agreement ("Rapportera avvikelse" from deviations).

The agreements app shows them next to each duty without knowing the apps behind them: an app registers its
actions from its AppConfig.ready(), and agreements asks which of them a user may take.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from samverkan.permissions import AnyUser


@dataclass(frozen=True)
class DutyAction:
    label: str
    url_builder: Callable[[Any], str]  # the duty → where the action starts
    permission_check: Callable[[AnyUser], bool]  # asked once per page, never per duty

    def url(self, duty: Any) -> str:
        return self.url_builder(duty)


_duty_actions: list[DutyAction] = []


def register_duty_action(
    label: str, url_builder: Callable[[Any], str], permission_check: Callable[[AnyUser], bool]
) -> None:
    """Offer an action on every duty of a version in force to the users permission_check admits.
    Registering the same label again replaces the action (ready() may run more than once in tests)."""
    _duty_actions[:] = [action for action in _duty_actions if action.label != label]
    _duty_actions.append(DutyAction(label, url_builder, permission_check))


def duty_actions_for(user: AnyUser) -> list[DutyAction]:
    """The registered actions the user may take, in the order they were registered."""
    return [action for action in _duty_actions if action.permission_check(user)]
