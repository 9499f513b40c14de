"""TerritoryScope moves from territories to backoffice: the same table and rows.

The model's state is created here on the existing table (``territories`` 0003
removes it from that app's state only), then the table takes the new app's
name. The content type moves too, so the permissions (« all_territories » and
the model's add/change/delete/view) keep their rows and their groups.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="territories", target="backoffice"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=source, model="territoryscope").first()
    if old is None:
        return  # a new database: post_migrate creates the content type after the migrations
    new = types.filter(app_label=target, model="territoryscope").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    # Both exist (post_migrate ran in between): keep the new one, give its
    # permissions the old ones' groups and users, then drop the old ones.
    for perm in Permission.objects.using(db).filter(content_type=old):
        twin, _ = Permission.objects.using(db).get_or_create(
            content_type=new, codename=perm.codename, defaults={"name": perm.name}
        )
        for group in perm.group_set.all():
            group.permissions.add(twin)
        for user in perm.user_set.all():
            user.user_permissions.add(twin)
        perm.delete()
    old.delete()


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="backoffice", target="territories")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("territories", "0002_territoryscope"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TerritoryScope",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "departement",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="territories.departement",
                                verbose_name="département",
                            ),
                        ),
                        (
                            "epci",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="territories.epci",
                                verbose_name="EPCI",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="territories.region",
                                verbose_name="région",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="territory_scopes",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="compte",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "territoire attribué",
                        "verbose_name_plural": "territoires attribués",
                        "permissions": [
                            ("all_territories", "Peut voir et modifier tous les territoires")
                        ],
                        "db_table": "territories_territoryscope",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("departement__isnull", True),
                                        ("epci__isnull", True),
                                        ("region__isnull", False),
                                    ),
                                    models.Q(
                                        ("departement__isnull", False),
                                        ("epci__isnull", True),
                                        ("region__isnull", True),
                                    ),
                                    models.Q(
                                        ("departement__isnull", True),
                                        ("epci__isnull", False),
                                        ("region__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="territoryscope_exactly_one_level",
                            ),
                            models.UniqueConstraint(
                                fields=("user", "region"), name="territoryscope_unique_region"
                            ),
                            models.UniqueConstraint(
                                fields=("user", "departement"),
                                name="territoryscope_unique_departement",
                            ),
                            models.UniqueConstraint(
                                fields=("user", "epci"), name="territoryscope_unique_epci"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="territoryscope", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
