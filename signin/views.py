"""Signing in with the organisation's account (SAML2, OpenID Connect), the second factor, and the pages
where an organisation is connected to its provider."""

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from samverkan.forms import add_service_errors
from samverkan.models import County
from signin import metadata, oidc, saml, selectors, services, twofactor
from signin.csp import LOGOUT_KEY, allow_form_action
from signin.forms import ConnectionForm, OrganisationChoiceForm, TokenForm, connection_label
from signin.models import Connection
from signin.permissions import counties_connectable
from signin.saml import SignInRefused

logger = logging.getLogger(__name__)
PENDING_KEY = "signin_pending"
REMEMBER_COOKIE = "samverkan_organisation"
BACKEND = "samverkan.login_throttle.ThrottledModelBackend"


def _next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- the login page's part ---


def login_panel(request: HttpRequest) -> str:
    """ "Which organisation do you work for?" on the login page (samverkan.registry.login_panels)."""
    connections = list(selectors.connections_usable())
    if not connections:
        return ""
    remembered_id = request.COOKIES.get(REMEMBER_COOKIE, "")
    remembered = next(
        (connection_label(c) for c in connections if str(c.organisation_id) == remembered_id), ""
    )
    form = OrganisationChoiceForm(initial={"organisation": remembered}, connections=connections)
    context = _choice(request, form, connections, next_url=request.GET.get("next", ""))
    return render_to_string("signin/login_panel.html", context | {"remembered": remembered}, request=request)


def _choice(request: HttpRequest, form, connections: list[Connection], *, next_url: str) -> dict:
    """The organisation choice's context; its form leads to the providers, so the page's CSP lets it."""
    allow_form_action(request, (origin for c in connections for origin in c.origins))
    return {"form": form, "labels": [connection_label(c) for c in connections], "next": next_url}


@require_safe
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Send the person to their organisation's provider."""
    connections = list(selectors.connections_usable())
    form = OrganisationChoiceForm(request.GET, connections=connections)
    next_url = _next(request, request.GET.get("next"))
    if not form.is_valid():
        context = _choice(request, form, connections, next_url=next_url)
        return render(request, "signin/start.html", context, status=400)
    connection: Connection = form.cleaned_data["connection"]
    try:
        if connection.protocol == Connection.Protocol.SAML:
            request_id, url = saml.login_redirect(connection)
            pending = {"request_id": request_id}
        else:
            url, pending = oidc.login_redirect(connection)
    except oidc.ProviderUnavailable as error:
        logger.warning("Identitetsleverantören för %s svarar inte: %s", connection.organisation, error)
        return _unavailable(request, connection)
    except ImproperlyConfigured as error:  # e.g. no SP key pair in production: the operator must act
        logger.error("Inloggning via %s är inte konfigurerad: %s", connection.organisation, error)
        return _unavailable(request, connection)
    request.session[PENDING_KEY] = {
        "connection": connection.pk,
        "protocol": connection.protocol,
        "next": next_url,
        **pending,
    }
    response = redirect(url)
    response.set_cookie(
        REMEMBER_COOKIE,
        str(connection.organisation_id),
        max_age=365 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _unavailable(request: HttpRequest, connection: Connection) -> HttpResponse:
    return render(request, "signin/unavailable.html", {"connection": connection}, status=503)


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "signin/refused.html", {"message": message}, status=status)


def _pending(request: HttpRequest, protocol: str) -> tuple[dict, Connection] | None:
    """The login this browser started (taken out of the session: an answer is used once)."""
    pending = request.session.pop(PENDING_KEY, None)
    if not pending or pending.get("protocol") != protocol:
        return None
    connection = Connection.objects.select_related("organisation").filter(pk=pending["connection"]).first()
    return (pending, connection) if connection else None


def _finish(
    request: HttpRequest, connection: Connection, identity: saml.Identity, next_url: str
) -> HttpResponse:
    try:
        user = services.identity_sign_in(connection=connection, identity=identity)
    except SignInRefused as refusal:
        return _refused(request, str(refusal))
    request.signin_method = connection.protocol
    login(request, user, backend=BACKEND)
    request.session[LOGOUT_KEY] = {
        "connection": connection.pk,
        "origins": connection.origins,
        **identity.logout,
    }
    messages.success(
        request,
        _("Välkommen, %(name)s. Du är inloggad via %(organisation)s.")
        % {"name": user.get_full_name() or user.username, "organisation": connection.organisation.name},
    )
    return redirect(next_url)


@csrf_exempt  # the provider posts the answer; the outstanding request in the session ties it to this browser
@require_POST
@never_cache
def saml_acs(request: HttpRequest) -> HttpResponse:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.POST.get("resent"):
        # A provider on another site posts without our (SameSite=Lax) session cookie: post the answer once
        # more from our own page, which the browser sends with it.
        return render(
            request,
            "signin/continue.html",
            {"fields": {k: request.POST.get(k, "") for k in ("SAMLResponse", "RelayState")}},
        )
    found = _pending(request, Connection.Protocol.SAML)
    if found is None:
        return _refused(request, saml.not_started_message(), status=400)
    pending, connection = found
    try:
        identity = saml.assertion_read(
            connection,
            request.POST.get("SAMLResponse", ""),
            outstanding={pending["request_id"]: pending["next"]},
        )
    except SignInRefused as refusal:
        return _refused(request, str(refusal))
    return _finish(request, connection, identity, pending["next"])


@require_safe
@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    found = _pending(request, Connection.Protocol.OIDC)
    if found is None:
        return _refused(request, saml.not_started_message(), status=400)
    pending, connection = found
    if request.GET.get("error"):
        return _refused(request, _("Identitetsleverantören avbröt inloggningen. Logga in igen."))
    if not hmac.compare_digest(request.GET.get("state", ""), pending["state"]):
        return _refused(request, _("Svaret från identitetsleverantören hör inte till den här inloggningen."))
    try:
        identity = oidc.identity_read(connection, code=request.GET.get("code", ""), pending=pending)
    except oidc.ProviderUnavailable as error:
        logger.warning("Identitetsleverantören för %s svarar inte: %s", connection.organisation, error)
        return _unavailable(request, connection)
    except SignInRefused as refusal:
        return _refused(request, str(refusal))
    return _finish(request, connection, identity, pending["next"])


@require_safe
def saml_metadata(request: HttpRequest) -> HttpResponse:
    """The portal's SAML2 service provider metadata, for the providers' administrators."""
    try:
        return HttpResponse(saml.sp_metadata(), content_type="application/samlmetadata+xml")
    except ImproperlyConfigured as error:
        logger.error("SAML-metadata kan inte visas: %s", error)
        return HttpResponse(
            _("Portalen har ingen SAML-nyckel än (SIGNIN_SAML_KEY_FILE, SIGNIN_SAML_CERT_FILE)."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


def logout_redirect(request: HttpRequest) -> str | None:
    """The logout hook: where the provider ends its own session (SAML single logout, OIDC end session)."""
    logout = request.session.get(LOGOUT_KEY)
    if not logout:
        return None
    connection = Connection.objects.filter(pk=logout.get("connection")).first()
    if connection is None:
        return None
    try:
        if connection.protocol == Connection.Protocol.SAML:
            return saml.logout_redirect(connection, logout)
        after = settings.SITE_URL.rstrip("/") + reverse("signin:signed_out")
        return oidc.logout_redirect(connection, logout, after=after)
    except Exception as error:
        logger.warning("Utloggning hos identitetsleverantören gick inte att starta: %r", error)
        return None


@require_safe
def saml_sls(request: HttpRequest) -> HttpResponse:
    """The provider's answer to our single logout."""
    relay_state = request.GET.get("RelayState", "")  # the connection, as saml.logout_redirect sent it
    connection = Connection.objects.filter(pk=relay_state).first() if relay_state.isdigit() else None
    if (
        connection
        and request.GET.get("SAMLResponse")
        and saml.logout_response_read(connection, request.GET["SAMLResponse"])
    ):
        messages.success(request, _("Du är utloggad, även hos din organisations identitetsleverantör."))
    else:
        messages.info(request, _("Du är utloggad från portalen."))
    return redirect("home")


@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Du är utloggad, även hos din organisations identitetsleverantör."))
    return redirect("home")


# --- the second factor ---


@login_required
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    next_url = _next(request, request.GET.get("next") or request.POST.get("next"))
    if not twofactor.is_pending(request):
        return redirect(next_url)
    device = twofactor.device_of(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = twofactor.code_check(request, device, form.cleaned_data["token"])
        if refusal is None:
            return redirect(next_url)
        form.add_error("token", refusal)
    context = {"form": form, "next": next_url, "enrol": not device.confirmed}
    if not device.confirmed:
        svg, context["secret"] = twofactor.enrolment(device)
        context["qr_svg"] = mark_safe(svg)  # noqa: S308 – made on the server from the device's own URL
    return render(request, "signin/second_factor.html", context, status=400 if form.errors else 200)


# --- connecting an organisation (county administrators, superusers) ---


def _county_or_404(request: HttpRequest, code: str) -> County:
    return get_object_or_404(counties_connectable(request.user), code=code)


@login_required
@require_safe
def connections(request: HttpRequest, code: str) -> HttpResponse:
    county = _county_or_404(request, code)
    organisations = county.organisations.select_related("signin_connection").order_by("name")
    return render(
        request,
        "signin/connections.html",
        {
            "county": county,
            "organisations": organisations,
            "sp_metadata_url": saml.entity_id(),
            "redirect_uri": oidc.redirect_uri(),
        },
    )


@login_required
@never_cache
def connection_edit(request: HttpRequest, code: str, organisation_id: int) -> HttpResponse:
    county = _county_or_404(request, code)
    organisation = get_object_or_404(county.organisations, pk=organisation_id)
    connection = Connection.objects.filter(organisation=organisation).first()
    form = ConnectionForm(request.POST or None, request.FILES or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_save(
                organisation=organisation,
                data=form.connection_data(),
                by=request.user,
                reason=_("Inloggningskoppling sparad av länsadministratör"),
                connection=connection,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inloggningen för %(name)s är sparad.") % {"name": organisation.name})
            return redirect("signin_admin:connections", code=county.code)
    return render(
        request,
        "signin/connection_form.html",
        {
            "county": county,
            "organisation": organisation,
            "connection": connection,
            "form": form,
            "sp_metadata_url": saml.entity_id(),
            "redirect_uri": oidc.redirect_uri(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def connection_refresh(request: HttpRequest, code: str, organisation_id: int) -> HttpResponse:
    county = _county_or_404(request, code)
    organisation = get_object_or_404(county.organisations, pk=organisation_id)
    connection = Connection.objects.filter(organisation=organisation, protocol="saml").first()
    if connection is None or not connection.metadata_url:
        messages.error(request, _("Kopplingen har ingen metadata-URL att hämta från."))
    else:
        try:
            services.connection_metadata_refresh(
                connection=connection, reason=_("Metadata hämtad på nytt av länsadministratör")
            )
        except metadata.MetadataError as error:
            messages.error(request, _("Metadata hämtades inte: %(why)s") % {"why": error})
        else:
            messages.success(request, _("Metadata är hämtad och signaturen kontrollerad."))
    return redirect("signin_admin:connections", code=county.code)
