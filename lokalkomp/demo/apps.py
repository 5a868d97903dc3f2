from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Builds the Nordland demo from the real documents (seeds 003 and 004). No models."""

    name = "lokalkomp.demo"
    label = "demo"
