"""The admin form of hub photos (validated and re-encoded by hubs.images)."""

from django import forms

from .models import HubPhoto


class HubPhotoForm(forms.ModelForm):
    class Meta:
        model = HubPhoto
        fields = ["image", "alt_text", "caption", "credit", "position"]
