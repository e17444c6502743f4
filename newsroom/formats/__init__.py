"""The newsroom's date formats, per language (Django's FORMAT_MODULE_PATH); templates use them by name."""
