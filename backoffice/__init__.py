"""The back-office: staff roles and territory scopes, the publication workflow,
the admin home's to-do, and the framework of bulk imports and exports."""
