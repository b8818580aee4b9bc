"""Local identity providers for trying and testing sign-in: a SAML2 IdP on pysaml2 and an OpenID Connect
provider on node-oidc-provider. Used by ``make run`` (a demo person) and by the tests; not by production."""
