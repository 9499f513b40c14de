"""Hub photo uploads: checked with Pillow, re-encoded without metadata, thumbnailed."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from hubs.models import HubPhoto
from hubs.photo_forms import HubPhotoForm
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def hub():
    return factories.hub(name="Fablab des Dentelles", slug="fablab-des-dentelles")


# --- images built in memory -------------------------------------------------


def _image(size=(400, 200), mode="RGB"):
    """A picture whose left half is red and right half blue (to check rotation)."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def _bytes(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _jpeg_with_orientation_and_gps(size=(400, 200)):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (50.0, 21.0, 28.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (3.0, 31.0, 25.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    return _bytes(_image(size), "JPEG", exif=exif, xmp=xmp, quality=95)


def _png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def _png_declaring(width, height):
    """A tiny but well-formed 1-bit PNG whose header declares width × height pixels.

    Only a few rows of pixel data are there: Pillow would decode gigabytes of
    zeros if it trusted the header; the check must refuse it before decoding.
    """
    rows = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _form(hub, content, name="photo.jpg", instance=None, **data):
    data = {"alt_text": "L'atelier et ses imprimantes 3D", "position": "0", **data}
    files = {"image": _upload(content, name)} if content is not None else {}
    return HubPhotoForm(data, files, instance=instance or HubPhoto(hub=hub))


def _stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _open_stored(field_file):
    field_file.open("rb")
    try:
        data = field_file.read()
    finally:
        field_file.close()
    return data, Image.open(io.BytesIO(data))


# --- accepted photos ----------------------------------------------------------


def test_jpeg_is_turned_upright_stripped_of_metadata_and_thumbnailed(hub, media_root):
    form = _form(hub, _jpeg_with_orientation_and_gps(), name="IMG_0001 (GPS).JPG")
    assert form.is_valid(), form.errors
    photo = form.save()

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (200, 400)  # rotated: sides swapped
    assert photo.image.name.startswith("hubs/photos/")
    assert photo.image.name.endswith(".jpg") and "fablab-des-dentelles-" in photo.image.name
    assert "IMG_0001" not in photo.image.name

    data, stored = _open_stored(photo.image)
    assert stored.format == "JPEG" and stored.size == (200, 400)
    assert not stored.getexif() and "exif" not in stored.info
    assert "xmp" not in stored.info and "icc_profile" not in stored.info
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"xmpmeta" not in data
    # Orientation 6 means the stored top is the original left (red) side.
    top, bottom = stored.convert("RGB").getpixel((100, 20)), stored.getpixel((100, 380))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]

    assert photo.thumbnail.name.startswith("hubs/thumbs/")
    thumb_data, thumb = _open_stored(photo.thumbnail)
    assert thumb.format == "WEBP" and not thumb.getexif() and b"PhoneMaker" not in thumb_data
    assert len(_stored_files(media_root)) == 2


def test_large_photo_is_scaled_down_and_thumbnail_is_small(hub, settings):
    settings.PHOTO_MAX_SIDE = 1000
    form = _form(hub, _bytes(_image((3000, 1500)), "JPEG"))
    assert form.is_valid(), form.errors
    photo = form.save()
    assert (photo.width, photo.height) == (1000, 500)
    _, thumb = _open_stored(photo.thumbnail)
    assert thumb.size == (480, 240)
    assert photo.thumbnail.size < photo.image.size


@pytest.mark.parametrize(
    ("fmt", "name", "params"),
    [
        ("PNG", "plan.png", {}),
        ("WEBP", "salle.webp", {"quality": 90}),
    ],
)
def test_png_and_webp_are_accepted_and_keep_their_format(hub, fmt, name, params):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = _image(mode="RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))  # some transparency, to be kept
    form = _form(hub, _bytes(image, fmt, icc_profile=icc, **params), name=name)
    assert form.is_valid(), form.errors
    photo = form.save()
    _, stored = _open_stored(photo.image)
    assert stored.format == fmt and stored.size == (400, 200) == (photo.width, photo.height)
    assert stored.mode == "RGBA" and "icc_profile" not in stored.info
    assert not stored.getexif()
    assert photo.thumbnail


def test_palette_png_and_cmyk_jpeg_are_converted(hub):
    palette = _image().convert("P")
    photo = _form(hub, _bytes(palette, "PNG"), name="a.png").save()
    assert Image.open(photo.image.path).mode == "RGB"
    cmyk = _image().convert("CMYK")
    photo = _form(hub, _bytes(cmyk, "JPEG"), name="b.jpg").save()
    assert Image.open(photo.image.path).mode == "RGB"


def test_file_input_accepts_only_the_three_formats(hub):
    html = str(_form(hub, None)["image"])
    assert 'accept="image/jpeg,image/png,image/webp"' in html


# --- refused uploads ----------------------------------------------------------


def _gif():
    return _bytes(_image(), "GIF")


def _svg():
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def _truncated_jpeg():
    data = _bytes(_image((600, 400)), "JPEG")
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (_png_declaring(30_000, 30_000), "bombe.png", "decompression_bomb"),  # 900 MP
        (_png_declaring(10_000, 10_000), "bombe.png", "decompression_bomb"),  # Pillow warns
        (_png_declaring(8_000, 8_000), "grand.png", "too_many_pixels"),  # 64 MP > 24 MP
        (_png_declaring(6_000, 4_001), "grand.png", "too_many_pixels"),  # 24.006 MP
        (b"Ceci n'est pas une image.\n" * 20, "photo.jpg", "invalid_format"),
        (_svg(), "dessin.svg", "invalid_format"),
        (_svg(), "dessin.png", "invalid_format"),
        (_gif(), "anime.gif", "invalid_format"),
        (_truncated_jpeg(), "coupee.jpg", "invalid_image"),
    ],
    ids=[
        "bomb",
        "bomb-warning",
        "64mp",
        "over-24mp",
        "text",
        "svg",
        "svg-as-png",
        "gif",
        "truncated",
    ],
)
def test_refused_files_give_a_form_error_and_save_nothing(hub, media_root, content, name, code):
    form = _form(hub, content, name=name)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["image"]] == [code]
    assert form.errors["image"][0]  # a message for the person uploading
    with pytest.raises(ValueError):
        form.save()
    assert not HubPhoto.objects.exists() and _stored_files(media_root) == []


def test_size_limit_is_a_setting(hub, settings, media_root):
    content = _bytes(_image(), "JPEG")
    settings.PHOTO_MAX_BYTES = len(content) - 1
    form = _form(hub, content)
    assert not form.is_valid() and form.errors.as_data()["image"][0].code == "too_large"
    assert "au plus" in form.errors["image"][0]
    settings.PHOTO_MAX_BYTES = len(content)
    assert _form(hub, content).is_valid()


def test_default_size_limit_is_8_mb(hub, media_root):
    content = b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024)  # 8 MB + 3 bytes
    form = _form(hub, content)
    assert not form.is_valid() and form.errors.as_data()["image"][0].code == "too_large"
    assert _stored_files(media_root) == []


def test_pixel_limit_is_a_setting(hub, settings):
    settings.PHOTO_MAX_PIXELS = 200 * 100
    assert _form(hub, _bytes(_image((200, 100)), "PNG"), name="a.png").is_valid()
    form = _form(hub, _bytes(_image((201, 100)), "PNG"), name="b.png")
    assert not form.is_valid()
    assert form.errors.as_data()["image"][0].code == "too_many_pixels"


def test_too_many_pixels_are_refused_from_the_header_without_decoding(hub, monkeypatch):
    """24 megapixels at most: a 24-MP RGBA PNG already takes ~240 MB of a worker to process."""
    from PIL import ImageFile

    def decode(image):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    form = _form(hub, _png_declaring(6_000, 4_001), name="grand.png")  # 24.006 MP
    assert not form.is_valid()
    error = form.errors.as_data()["image"][0]
    assert error.code == "too_many_pixels"
    assert "24 au plus" in form.errors["image"][0]
    monkeypatch.undo()
    form = _form(hub, _png_declaring(6_000, 4_000), name="juste.png")  # 24 MP: read
    assert "image" not in form.errors


def test_a_large_jpeg_is_decoded_at_a_fraction_of_its_size(hub, settings):
    """libjpeg scales while decoding: a 6000 × 4000 photo kept at 2560 px is read at 3000 × 2000."""
    from hubs.images import _open

    settings.PHOTO_MAX_SIDE = 100  # the same ratios, smaller: 240 × 160 kept at 100 × 67
    image, fmt = _open(_bytes(_image((240, 160)), "JPEG"))
    assert fmt == "JPEG" and image.size == (120, 80)
    photo = _form(hub, _bytes(_image((240, 160)), "JPEG")).save()
    assert (photo.width, photo.height) == (100, 67)


def test_alt_text_is_required(hub, media_root):
    form = _form(hub, _bytes(_image(), "JPEG"), alt_text="   ")
    assert not form.is_valid() and "alt_text" in form.errors
    assert _stored_files(media_root) == []


# --- editing and deleting -----------------------------------------------------


def test_editing_text_or_order_does_not_reprocess(hub, monkeypatch):
    photo = _form(hub, _bytes(_image(), "JPEG")).save()
    names = (photo.image.name, photo.thumbnail.name)

    def fail(uploaded):
        raise AssertionError("reprocessed")

    monkeypatch.setattr("hubs.photo_forms.process_photo", fail)
    form = _form(hub, None, instance=photo, alt_text="Nouveau texte", position="3")
    assert form.is_valid(), form.errors
    form.save()
    photo.refresh_from_db()
    assert (photo.alt_text, photo.position) == ("Nouveau texte", 3)
    assert (photo.image.name, photo.thumbnail.name) == names


def test_replacing_and_deleting_remove_the_files(
    hub, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = _form(hub, _bytes(_image(), "JPEG")).save()
    first = _stored_files(media_root)
    assert len(first) == 2

    with django_capture_on_commit_callbacks(execute=True):
        photo = _form(hub, _bytes(_image((300, 300)), "PNG"), name="b.png", instance=photo).save()
    second = _stored_files(media_root)
    assert len(second) == 2 and not set(first) & set(second)
    assert photo.image.name.endswith(".png") and (photo.width, photo.height) == (300, 300)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert _stored_files(media_root) == []


def test_deleting_the_hub_removes_its_photo_files(
    hub, media_root, django_capture_on_commit_callbacks
):
    _form(hub, _bytes(_image(), "JPEG")).save()
    with django_capture_on_commit_callbacks(execute=True):
        hub.delete()
    assert _stored_files(media_root) == []


# --- through the admin, and on the public page --------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(factories.superuser())
    return client


def _photo_inline(content, name):
    return {
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-0-image": _upload(content, name),
        "photos-0-alt_text": "La grande salle de l'atelier",
        "photos-0-caption": "L'atelier",
        "photos-0-credit": "Ville de Valenciennes",
        "photos-0-position": "1",
    }


def test_admin_refuses_a_bomb_and_saves_a_good_photo(admin_client, hub, media_root):
    url = f"/admin/hubs/hub/{hub.pk}/change/"
    data = change_form_data(admin_client, url)

    response = admin_client.post(
        url, {**data, **_photo_inline(_png_declaring(30_000, 30_000), "a.png")}
    )
    assert response.status_code == 200
    assert "déclare bien trop de pixels" in response.content.decode()
    assert not HubPhoto.objects.exists() and _stored_files(media_root) == []

    response = admin_client.post(url, {**data, **_photo_inline(b"hello", "photo.jpg")})
    assert response.status_code == 200
    assert "pas une image JPEG, PNG ou WebP" in response.content.decode()
    assert not HubPhoto.objects.exists() and _stored_files(media_root) == []

    good = _jpeg_with_orientation_and_gps()
    response = admin_client.post(url, {**data, **_photo_inline(good, "IMG_0001.jpg")})
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = HubPhoto.objects.get(hub=hub)
    assert photo.thumbnail and (photo.width, photo.height) == (200, 400)
    assert photo.alt_text == "La grande salle de l'atelier" and photo.position == 1
    assert len(_stored_files(media_root)) == 2

    # The change page shows the photo again; saving it untouched keeps it.
    response = admin_client.post(url, change_form_data(admin_client, url))
    assert response.status_code == 302
    assert HubPhoto.objects.get(hub=hub).image.name == photo.image.name


def test_public_page_shows_the_thumbnail_with_its_alt_text(client, hub):
    photo = _form(hub, _bytes(_image(), "JPEG"), caption="L'atelier", credit="Ville").save()
    response = client.get(hub.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in content
    assert 'alt="L&#x27;atelier et ses imprimantes 3D"' in content
    assert 'width="400" height="200" loading="lazy"' in content
    assert "<figcaption>L&#x27;atelier <small>© Ville</small></figcaption>" in content


def test_multi_picture_jpeg_from_a_camera_is_accepted_as_jpeg(hub):
    content = _bytes(_image(), "MPO", save_all=True, append_images=[_image((100, 50))])
    assert Image.open(io.BytesIO(content)).format == "MPO"
    photo = _form(hub, content).save()
    _, stored = _open_stored(photo.image)
    assert stored.format == "JPEG" and stored.size == (400, 200)
