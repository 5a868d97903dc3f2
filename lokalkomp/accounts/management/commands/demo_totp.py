"""Print the current TOTP code of a demo user, so that a tester can sign in without an authenticator app."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lokalkomp.accounts.models import User
from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET, current_code, totp_secret_of


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (only for the documented demo secret)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {options['email']}.")
        secret = totp_secret_of(user)
        if secret is None:
            raise CommandError(f"{user.email} has no authenticator app set up.")
        # A real person's secret is theirs alone: the command only knows the demo's.
        if secret != DEMO_TOTP_SECRET:
            raise CommandError(f"{user.email} does not use the demo secret; ask the person for their code.")
        self.stdout.write(current_code(secret))
