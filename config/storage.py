"""Static files in production: WhiteNoise's compressed, hashed copies, with the
``import`` statements of ES modules rewritten to the hashed names too (the map's
modules, static/js/map/): the page preloads the hashed files, and the modules
then import those same files instead of downloading unhashed twins."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
