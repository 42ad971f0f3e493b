"""The longest password identity accepts, wherever one is set or checked."""

from django.core.exceptions import ValidationError

# Checked before any hash is computed: hashers take a password of any length, so without a cap
# the sender chooses how much work each registration, sign-in or password change costs.
MAXIMUM_PASSWORD_LENGTH = 128
TOO_LONG = f"Ensure this password has at most {MAXIMUM_PASSWORD_LENGTH} characters."


class MaximumLengthValidator:
    """The API's cap as one of AUTH_PASSWORD_VALIDATORS, so that the admin and createsuperuser
    cannot set a password the sign-in endpoint would refuse."""

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > MAXIMUM_PASSWORD_LENGTH:
            raise ValidationError(TOO_LONG, code="password_too_long")

    def get_help_text(self) -> str:
        return f"Your password can't be longer than {MAXIMUM_PASSWORD_LENGTH} characters."
