"""The admin form of hub photos (validated and re-encoded by hubs.images)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from .images import ACCEPT, delete_files_on_commit, photo_basename, process_photo
from .models import HubPhoto


class HubPhotoForm(forms.ModelForm):
    """Only a newly uploaded file is checked and re-encoded; nothing is written
    to storage unless the whole form is valid and saved."""

    class Meta:
        model = HubPhoto
        fields = ["image", "alt_text", "caption", "credit", "position"]
        # A plain file field: Django's ImageField would open the upload with
        # Pillow before our own, stricter checks (size first, then formats).
        field_classes = {"image": forms.FileField}
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].max_length = None  # the uploaded name is not kept anyway
        self.processed_photo = None
        self._replaced_files = []

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not isinstance(image, UploadedFile):  # the photo already stored, unchanged
            self.processed_photo = None
            return image
        self.processed_photo = process_photo(image)
        return self.processed_photo.image_file(photo_basename())

    def save(self, commit=True):
        # self.errors validates first if not done yet (and super().save() refuses errors).
        photo = self.processed_photo if not self.errors else None
        if photo is not None:
            if self.instance.pk:  # a new image for an existing photo: drop the old files
                old = HubPhoto.objects.filter(pk=self.instance.pk).first()
                self._replaced_files = [old.image, old.thumbnail] if old else []
            basename = photo_basename(self.instance.hub if self.instance.hub_id else None)
            self.instance.image = photo.image_file(basename)
            self.instance.thumbnail = photo.thumbnail_file(basename)
            self.instance.width, self.instance.height = photo.width, photo.height
        return super().save(commit)

    def _save_m2m(self):
        # Runs once the row is saved (at once, or through save_m2m() after
        # save(commit=False)): the old files go when the transaction commits.
        super()._save_m2m()
        if self._replaced_files:
            delete_files_on_commit(self._replaced_files)
            self._replaced_files = []
