"""Signing in with the organisation's own account (SAML2 and OpenID Connect), and the second factor (TOTP)
for the portal's own passwords of those who can change who sees what."""
