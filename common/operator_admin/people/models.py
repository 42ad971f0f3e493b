"""A person known to this service: one identity user's id and e-mail, for the admin to show."""

from django.db import models


class Person(models.Model):
    """A copy of one identity user, kept from `user.registered` and `user.updated`."""

    user_id = models.UUIDField(primary_key=True)
    email = models.EmailField()
    # The time of the identity event this row reflects, so an older event arriving late loses.
    as_of = models.DateTimeField()

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.email
