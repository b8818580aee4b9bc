"""The portal's URLs and a public page with a form of its own (with a CSRF token), which no public page of
the portal has for visitors who are not logged in since the language switch is a GET."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.http import require_POST

from samverkan.pagecache import public_page

FORM = '<form method="post" action="/skicka/">{% csrf_token %}<button>Skicka</button></form>'


def with_form(request):
    return HttpResponse(engines["django"].from_string(FORM).render({}, request))


@require_POST
def send(request):
    return HttpResponse("ok")


urlpatterns = [
    path("formular/", public_page("agreements")(with_form)),
    path("skicka/", send),
    path("", include("samverkan.urls")),
]
