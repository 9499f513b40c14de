"""The forms of « Mon compte »: a one-time code, the e-mail preferences."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StaffPreferences


class CodeForm(forms.Form):
    """A code: six digits from the app or, where ``recovery`` is allowed, a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.help_text = _(
                "Les six chiffres affichés par votre application, ou un de vos codes de secours."
            )
        else:
            field.help_text = _("Les six chiffres affichés par votre application.")
            field.widget.attrs.update(inputmode="numeric", pattern="[0-9 ]*")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = StaffPreferences
        fields = ["email_language", "notify_reports", "notify_reminders"]
