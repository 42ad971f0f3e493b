"""What the code last declared for each periodic task, to tell an operator's edit from it."""

from django.db import models


class DeclaredSchedule(models.Model):
    """The task and interval the code declared when it last seeded `name`: a periodic task still
    on these was not changed by an operator, so a new declaration may replace it."""

    name = models.CharField(max_length=200, primary_key=True)
    task = models.CharField(max_length=200)
    every_seconds = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.name}: {self.task} every {self.every_seconds} s"
