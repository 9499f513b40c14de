"""Checking and re-encoding the photos uploaded for a hub.

An upload is untrusted: it is read with Pillow only after its size has been
checked, opened with the JPEG, PNG and WebP decoders only (the format is the
one Pillow detects, never the file name), and refused when its header declares
too many pixels (decompression bombs), when it fails ``verify()`` or when it
cannot be fully decoded (fake or truncated files).

What gets stored is never the uploaded bytes: the pixels are turned upright
(EXIF orientation), converted to sRGB, scaled down for the web and re-encoded
in the same format without any metadata (EXIF and its GPS position, XMP, ICC
profile, PNG text). A small WebP thumbnail is made at the same time.
"""

import io
import math
import struct
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# Checked from the header, before anything is decoded. PNG and WebP are decoded
# at full size (only JPEG can be decoded at a fraction of it, see _open): a
# 24-megapixel RGBA PNG takes ~240 MB of the worker while it is processed, a
# 40-megapixel one ~380 MB. 24 MP is a 6000 × 4000 camera photo.
DEFAULT_MAX_PIXELS = 24_000_000
DEFAULT_MAX_SIDE = 2560  # long side of the stored image, in pixels
DEFAULT_THUMB_SIDE = 480  # long side of the thumbnail, in pixels

#: Pillow's only decoders we let loose on uploads.
DECODERS = ["JPEG", "PNG", "WEBP"]
#: The formats they detect, and the format each is saved in (MPO is how the
#: JPEG decoder names the multi-picture JPEGs many cameras write).
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"

# What Pillow may raise on a malformed file, beyond the documented OSError.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError)

MESSAGES = {
    "too_large": _("Le fichier pèse %(size)s : %(max)s au plus."),
    "invalid_format": _(
        "Ce fichier n'est pas une image JPEG, PNG ou WebP (le format est lu dans "
        "le contenu du fichier, pas dans son nom)."
    ),
    "too_many_pixels": _(
        "L'image est trop grande : %(megapixels)s mégapixels, %(max)s au plus. "
        "Réduisez-la avant de la déposer."
    ),
    "decompression_bomb": _(
        "L'image déclare bien trop de pixels (%(max)s mégapixels au plus) : elle est refusée."
    ),
    "invalid_image": _("L'image est endommagée ou incomplète et n'a pas pu être lue."),
}


def _setting(name, default):
    return getattr(settings, name, default)


def max_bytes():
    return _setting("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return _setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


@dataclass(frozen=True)
class ProcessedPhoto:
    """A checked photo, re-encoded and ready to be stored."""

    content: bytes
    thumbnail_content: bytes
    format: str  # JPEG, PNG or WEBP
    width: int
    height: int

    @property
    def extension(self):
        return EXTENSIONS[self.format]

    def image_file(self, basename):
        return ContentFile(self.content, name=f"{basename}.{self.extension}")

    def thumbnail_file(self, basename):
        return ContentFile(self.thumbnail_content, name=f"{basename}.webp")


def photo_basename(hub=None):
    """A safe, unique file name (without extension): never the uploaded name."""
    stem = slugify(getattr(hub, "slug", "") or getattr(hub, "name", ""))[:40].strip("-")
    return f"{stem or 'photo'}-{uuid.uuid4().hex[:12]}"


def process_photo(uploaded):
    """Check an uploaded photo and re-encode it; raise ValidationError if refused."""
    data = _read(uploaded)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image, fmt = _open(data)
            image = _prepare(image)
            content = _encode(image, fmt)
            thumbnail = _encode_thumbnail(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _error("decompression_bomb", max=_megapixels(max_pixels())) from exc
        except UnidentifiedImageError as exc:
            raise _error("invalid_format") from exc
        except _DECODE_ERRORS as exc:
            raise _error("invalid_image") from exc
    return ProcessedPhoto(content, thumbnail, fmt, image.width, image.height)


def _read(uploaded):
    limit = max_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise _error("too_large", size=filesizeformat(size), max=filesizeformat(limit))
    uploaded.seek(0)
    data = uploaded.read(limit + 1)  # never trust .size alone
    if len(data) > limit:
        raise _error("too_large", size=filesizeformat(size or len(data)), max=filesizeformat(limit))
    if not data:
        raise _error("invalid_image")
    return data


def _megapixels(pixels):
    megapixels = round(pixels / 1_000_000, 1)
    if megapixels == int(megapixels):
        return number_format(int(megapixels))
    return number_format(megapixels, decimal_pos=1)


def _open(data):
    """Open, check the header and ``verify()``, then reopen and decode."""
    image = Image.open(io.BytesIO(data), formats=DECODERS)
    if image.format not in FORMATS:  # not reachable with formats=, but cheap
        raise _error("invalid_format")
    pixels = image.width * image.height  # from the header: nothing decoded yet
    if pixels > max_pixels():
        raise _error(
            "too_many_pixels", megapixels=_megapixels(pixels), max=_megapixels(max_pixels())
        )
    if not pixels:
        raise _error("invalid_image")
    image.verify()

    # verify() leaves the image unusable: decode a fresh one.
    image = Image.open(io.BytesIO(data), formats=DECODERS)
    fmt = FORMATS[image.format]
    if fmt == "JPEG":
        # Let libjpeg decode a huge photo at 1/2, 1/4 or 1/8 of its size
        # (never below what we keep): much less memory and time. Ask for the
        # size kept, not a square: a 6000 × 4000 photo kept at 2560 × 1707 is
        # then read at 3000 × 2000 (6 megapixels) rather than in full.
        side = _setting("PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE)
        ratio = side / max(image.size)
        if ratio < 1:
            image.draft(None, (math.ceil(image.width * ratio), math.ceil(image.height * ratio)))
    image.load()
    return image, fmt


def _prepare(image):
    """Upright, sRGB, a web-friendly mode and size, and no metadata left."""
    ImageOps.exif_transpose(image, in_place=True)
    image = _to_srgb(image)
    image = _normalise_mode(image)
    side = _setting("PHOTO_MAX_SIDE", DEFAULT_MAX_SIDE)
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    image.info = {}  # EXIF, XMP, ICC, PNG text, DPI...: nothing is carried over
    return image


def _to_srgb(image):
    """Convert from an embedded colour profile to sRGB (then dropped).

    Phones often use Display P3 and print workflows Adobe RGB or CMYK: dropping
    their profile alone would shift the colours. If the profile cannot be used,
    it is dropped and the pixels are kept as they are.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
            return image
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        return image
    return converted or image


def _normalise_mode(image):
    """RGB(A) or greyscale (with alpha), 8 bits per channel."""
    mode = image.mode
    if mode in {"RGB", "RGBA", "L", "LA"}:
        pass
    elif mode == "1":
        image = image.convert("L")
    elif mode in {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}:  # 16-bit greyscale PNG
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif mode in {"P", "PA"}:
        transparent = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    else:  # CMYK (without a usable profile), YCbCr, LAB, RGBX...
        image = image.convert("RGB")
    if image.mode in {"RGBA", "LA"} and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert(image.mode[:-1])  # an alpha channel that hides nothing
    return image


def _encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in {"RGB", "L"}:
            image = _flatten(image)
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()


def _encode_thumbnail(image):
    side = _setting("PHOTO_THUMBNAIL_SIDE", DEFAULT_THUMB_SIDE)
    thumbnail = image.convert("RGBA" if "A" in image.mode else "RGB")  # always a copy
    thumbnail.thumbnail((side, side), Image.Resampling.LANCZOS)
    thumbnail.info = {}
    buffer = io.BytesIO()
    thumbnail.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def _flatten(image):
    """Put a transparent image on white (JPEG has no alpha channel)."""
    background = Image.new("RGB", image.size, "white")
    background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
    return background


def delete_files_on_commit(field_files):
    """Delete stored files once the transaction that dropped them commits.

    A file still named by a row (a copied photo, say) is kept.
    """
    targets = [
        (type(f.instance)._default_manager, f.storage, f.field.name, f.name)
        for f in field_files
        if f and f.name
    ]
    if not targets:
        return

    def delete():
        for manager, storage, field_name, name in targets:
            if not manager.filter(**{field_name: name}).exists():
                storage.delete(name)

    transaction.on_commit(delete)
