"""The manager's forms: their hub's practical information and a new photo, and the
password they choose when accepting an invitation."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event
from hubs.choices import checkbox_list_field
from hubs.images import ACCEPT, process_photo
from hubs.models import Hub, HubPhoto
from hubs.widgets import OpeningHoursWidget

#: What a manager may change on their hub's listing, in the form's order. The rest
#: (name, address, point, kinds, publication, funding) stays with the territory's staff.
EDITABLE_FIELDS = [
    "summary",
    "description",
    "opening_hours",
    "opening_hours_note",
    "website",
    "email",
    "phone",
    "fees",
    "fees_details",
    "access_modes",
    "booking_url",
    "wheelchair",
    "acceslibre_url",
]

#: The form's sections (legend, fields).
SECTIONS = [
    (_("Présentation"), ["summary", "description"]),
    (_("Horaires"), ["opening_hours", "opening_hours_note"]),
    (_("Contact"), ["website", "email", "phone"]),
    (
        _("Accès"),
        ["fees", "fees_details", "access_modes", "booking_url", "wheelchair", "acceslibre_url"],
    ),
    (_("Nouvelle photo"), ["photo", "photo_alt_text"]),
]


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class HubEditForm(forms.ModelForm):
    """The hub's fields a manager edits, validated by the model (hours, acceslibre,
    booking link when booking is online), and an optional photo checked and
    re-encoded like the back-office's (hubs/images.py)."""

    access_modes = checkbox_list_field(Hub, "access_modes", Hub.AccessMode)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=HubPhoto._meta.get_field("image").help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    photo_alt_text = forms.CharField(
        label=_("Ce que montre la photo"),
        required=False,
        max_length=250,
        help_text=_("Pour les personnes qui ne la voient pas. Obligatoire avec une photo."),
    )

    class Meta:
        model = Hub
        fields = EDITABLE_FIELDS
        formfield_callback = _formfield
        widgets = {
            "opening_hours": OpeningHoursWidget(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed_photo = None
        self.fields["photo"].max_length = None  # the uploaded name is not kept

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return None
        self.processed_photo = process_photo(photo)  # raises ValidationError when refused
        return photo

    def clean(self):
        cleaned = super().clean()
        if self.processed_photo is not None and not cleaned.get("photo_alt_text", "").strip():
            self.add_error(
                "photo_alt_text",
                forms.ValidationError(
                    _("Décrivez ce que montre la photo."), code="photo_alt_text_required"
                ),
            )
        return cleaned

    def changed_values(self, stored: Hub) -> dict:
        """The cleaned values that differ from ``stored`` (the hub as in the database)."""
        return {
            name: self.cleaned_data[name]
            for name in EDITABLE_FIELDS
            if self.cleaned_data.get(name) != getattr(stored, name)
        }


class AcceptInvitationForm(SetPasswordMixin, forms.Form):
    """The new manager's password, twice, checked by the site's password validators."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choisissez un mot de passe"), label2=_("Le même, une seconde fois")
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user  # the account the password is for (for the similarity check)
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords()
        if self.user is not None:
            self.validate_password_for_user(self.user)
        return super().clean()


#: What a manager may write on their hub's events; the hub, the publication, the
#: slug, the place elsewhere (commune, point) and the imports stay with the staff.
EVENT_FIELDS = [
    "title",
    "kind",
    "summary",
    "description",
    "start",
    "end",
    "all_day",
    "status",
    "venue_name",
    "registration_url",
    "is_free",
    "price",
    "price_details",
    "accessibility",
]

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class EventEditForm(forms.ModelForm):
    """An event of ``hub``, validated by the model like the back-office's form
    (``Event.clean``: the end after the start, no price when free); the hub is set
    here and never read from the request."""

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        formfield_callback = _formfield
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, hub: Hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.hub = hub  # before the model's clean, which needs a place
