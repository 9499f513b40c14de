"""The residents' forms: no account, a honeypot instead of a CAPTCHA."""

from django import forms
from django.utils.translation import gettext_lazy as _

from territories.locate import locate_commune

from .models import ADDRESS_MAX_LENGTH, MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH

#: The honeypot's name: a field a form-filling robot cannot resist.
HONEYPOT = "homepage"


class ContactMixin(forms.Form):
    """The reporter's address, kept only with their explicit consent, and the honeypot."""

    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        required=False,
        max_length=254,
        help_text=_("Seulement si vous souhaitez une réponse."),
    )
    consent = forms.BooleanField(
        label=_(
            "J’accepte que cette adresse soit gardée pour me répondre. "
            "Elle sera effacée dès que le signalement sera traité."
        ),
        required=False,
    )
    # Hidden from people (visually and from screen readers, out of the tab
    # order); the label tells anyone who meets it anyway to leave it empty.
    homepage = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        max_length=200,
        strip=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def full_clean(self):
        super().full_clean()
        # Each input in error names its messages (and its help) for screen readers.
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                ids = [f"id_{name}_errors"] + ([f"id_{name}_helptext"] if field.help_text else [])
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def is_robot(self) -> bool:
        """Whether the honeypot was filled (read from the raw data, before any validation)."""
        return bool(self.data.get(HONEYPOT))

    def clean(self):
        cleaned = super().clean()
        email, consent = cleaned.get("email"), cleaned.get("consent")
        if email and not consent:
            self.add_error(
                "consent",
                _("Cochez cette case pour que nous gardions votre adresse, ou effacez-la."),
            )
        if consent and not email and "email" not in self.errors:
            self.add_error("email", _("Donnez votre adresse, ou décochez la case ci-dessous."))
        return cleaned


class ErrorReportForm(ContactMixin):
    """An error on a hub's or an event's page."""

    message = forms.CharField(
        label=_("Qu’est-ce qui est inexact ?"),
        help_text=_(
            "Par exemple : l’adresse, les horaires, le téléphone, le lieu a fermé… "
            "2 000 caractères au plus."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = ["message", "email", "consent", HONEYPOT]


class PlaceSuggestionForm(ContactMixin):
    """A place the directory lacks: its name, where it is, what one does there."""

    name = forms.CharField(label=_("Nom du lieu"), max_length=NAME_MAX_LENGTH)
    address = forms.CharField(
        label=_("Adresse"),
        help_text=_("Numéro et rue."),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
    )
    postcode = forms.CharField(label=_("Code postal"), max_length=5, min_length=5)
    city = forms.CharField(label=_("Commune"), max_length=100)
    message = forms.CharField(
        label=_("Ce que l’on y fait"),
        help_text=_("Ateliers, matériel, public, horaires, site web… 2 000 caractères au plus."),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = ["name", "address", "postcode", "city", "message", "email", "consent", HONEYPOT]

    def clean(self):
        cleaned = super().clean()
        postcode, city = cleaned.get("postcode"), cleaned.get("city")
        if postcode and city:
            commune, why = locate_commune(postcode=postcode, city=city)
            if commune is None:
                self.add_error("city", _("Commune introuvable : %(why)s.") % {"why": why})
            cleaned["commune"] = commune
        return cleaned
