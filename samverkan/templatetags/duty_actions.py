from django import template

from samverkan.actions import DutyAction

register = template.Library()


@register.simple_tag
def duty_action_url(action: DutyAction, duty) -> str:
    """Where the action starts for this duty: {% duty_action_url action duty %}."""
    return action.url(duty)
