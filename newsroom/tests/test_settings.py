import shutil
import subprocess

import pytest
from django.conf import settings

from newsroom.settings import BASE_DIR
from newsroom.tests.helpers import manage, read_setting

pytestmark = pytest.mark.slow  # each test reads the settings in a fresh interpreter


def test_secret_key_is_required_when_debug_is_off():
    result = read_setting("s.DEBUG")

    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment (or .env) when DEBUG is off." in result.stderr


def test_debug_is_off_unless_set():
    assert read_setting("s.DEBUG", SECRET_KEY="x" * 50).stdout == "False\n"
    assert read_setting("s.DEBUG", DEBUG="on").stdout == "True\n"


def test_database_defaults_to_sqlite_in_the_project_folder():
    result = read_setting("s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']", DEBUG="on")

    assert result.stdout == f"django.db.backends.sqlite3 {BASE_DIR / 'db.sqlite3'}\n"


def test_database_url_selects_the_database():
    result = read_setting(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DEBUG="on",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )

    assert result.stdout == "django.db.backends.postgresql newsroom\n"


def test_env_file_is_read(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=on\nTIME_ZONE=Asia/Karachi\nALLOWED_HOSTS=news.example,www.news.example\n")

    result = read_setting("s.TIME_ZONE, s.ALLOWED_HOSTS", ENV_FILE=str(env_file))

    assert result.stdout == "Asia/Karachi ['news.example', 'www.news.example']\n"


def test_static_files_are_compressed_and_hashed_in_production():
    result = read_setting("s.STORAGES['staticfiles']['BACKEND']", SECRET_KEY="x" * 50)

    assert result.stdout == "whitenoise.storage.CompressedManifestStaticFilesStorage\n"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_uploads_go_to_local_disk_by_default():
    result = read_setting("s.STORAGES['default'], s.MEDIA_ROOT.name, s.MEDIA_URL, s.SERVE_MEDIA", DEBUG="on")

    assert result.stdout == (
        "{'BACKEND': 'django.core.files.storage.FileSystemStorage', 'OPTIONS': {}} media media/ True\n"
    )


def test_object_storage_for_uploads_is_a_settings_change():
    result = read_setting(
        "s.STORAGES['default'], s.MEDIA_URL",
        DEBUG="on",
        MEDIA_STORAGE="storages.backends.s3.S3Storage",
        MEDIA_STORAGE_OPTIONS='{"bucket_name": "newsroom-media", "querystring_auth": false}',
        MEDIA_URL="https://media.news.example/",
    )

    assert result.stdout == (
        "{'BACKEND': 'storages.backends.s3.S3Storage', 'OPTIONS': {'bucket_name': 'newsroom-media', "
        "'querystring_auth': False}} https://media.news.example/\n"
    )


def test_image_limits_come_from_the_environment():
    result = read_setting(
        "s.IMAGES_MAX_UPLOAD_MB, s.IMAGES_MAX_PIXELS, s.IMAGES_RENDITION_WIDTHS",
        DEBUG="on",
        IMAGES_MAX_UPLOAD_MB="8",
        IMAGES_MAX_PIXELS="24000000",
        IMAGES_RENDITION_WIDTHS="320,640,1280",
    )

    assert result.stdout == "8 24000000 [320, 640, 1280]\n"


COMMENT_SETTINGS = (
    "s.COMMENTS_MODERATION, s.COMMENTS_AUTO_APPROVE_KNOWN, s.COMMENTS_THREAD_DEPTH, "
    "s.COMMENTS_CLOSE_AFTER_DAYS, s.COMMENTS_NOTIFY_EMAILS"
)


def test_comment_settings_defaults():
    assert read_setting(COMMENT_SETTINGS, DEBUG="on").stdout == "True True 5 0 []\n"


def test_comment_settings_come_from_the_environment():
    result = read_setting(
        COMMENT_SETTINGS,
        DEBUG="on",
        COMMENTS_MODERATION="off",
        COMMENTS_AUTO_APPROVE_KNOWN="false",
        COMMENTS_THREAD_DEPTH="3",
        COMMENTS_CLOSE_AFTER_DAYS="30",
        COMMENTS_NOTIFY_EMAILS="desk@news.example,night@news.example",
    )

    assert result.stdout == "False False 3 30 ['desk@news.example', 'night@news.example']\n"


def test_spam_defence_settings_defaults():
    result = read_setting(
        "s.COMMENTS_MIN_SUBMIT_SECONDS, s.COMMENTS_FLOOD_SECONDS, s.COMMENTS_MAX_LINKS, s.TRUSTED_PROXY_COUNT",
        DEBUG="on",
    )

    assert result.stdout == "3 15 2 0\n"


def make(*arguments):
    return subprocess.run(
        [shutil.which("make"), "--no-print-directory", *arguments],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_readme_commands_work_after_make_run(tmp_path):
    """`make run` writes development settings that manage.py reads: DEBUG on and a key of their own."""
    development_env = tmp_path / ".env.development"
    assert make("development-env", f"DEVELOPMENT_ENV_FILE={development_env}").returncode == 0
    assert development_env.stat().st_mode & 0o077 == 0
    assert "DEBUG=true\n" in development_env.read_text()
    key = development_env.read_text().partition("SECRET_KEY=")[2].strip()
    assert len(key) > 50
    environment = {
        "ENV_FILE": None,
        "DEVELOPMENT_ENV_FILE": str(development_env),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    assert manage("migrate", "--noinput", **environment).returncode == 0
    created = manage(
        "createsuperuser",
        "--noinput",
        "--username=admin",
        "--email=admin@news.example",
        DJANGO_SUPERUSER_PASSWORD="a-long-password-for-tests",
        **environment,
    )
    assert created.returncode == 0, created.stderr
    loaded = manage("loaddemo", **environment)
    assert loaded.returncode == 0, loaded.stderr
    shown = manage(
        "shell", "-v", "0", "-c", "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)", **environment
    )
    assert f"True {key}\n" == shown.stdout


def test_a_named_env_file_is_read_alone(tmp_path):
    """`make serve` names its env file, so manage.py never reads the development settings there."""
    development_env = tmp_path / ".env.development"
    development_env.write_text(f"DEBUG=true\nSECRET_KEY={'x' * 50}\n")

    result = manage("check", ENV_FILE="/dev/null", DEVELOPMENT_ENV_FILE=str(development_env))

    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment (or .env) when DEBUG is off." in result.stderr


def test_make_serve_names_its_env_file():
    commands = make("-n", "serve").stdout.splitlines()
    serving = [command for command in commands if "bin/python manage.py" in command or "bin/gunicorn" in command]

    assert len(serving) == 3
    assert all("DEBUG=off ENV_FILE=.env " in command for command in serving)
