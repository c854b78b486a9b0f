"""Uploaded files kept on disk between the preview and the confirmation, under a random name, for a day at most.

Each upload is written once, streamed in chunks, and read from disk by the preview and again by the write: the
file is never held in memory as a whole. The directory is private to the server (settings.IMPORT_DIR).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import secrets
import shutil
import time
import zipfile
from pathlib import Path

from django.conf import settings

from samkort.validators import without_cpr_like_numbers

KEPT_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def upload_dir() -> Path:
    path = Path(settings.IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(uploaded_files) -> tuple[str, list[str]]:
    """Store the uploads; the token that finds them again, and their names as the user gave them."""
    forget_old()
    token = secrets.token_urlsafe(24)
    folder = upload_dir() / token
    folder.mkdir(mode=0o700)
    names = []
    for number, uploaded in enumerate(uploaded_files):
        with (folder / f"{number}.upload").open("wb") as target:
            for chunk in uploaded.chunks():
                target.write(chunk)
        # A case worker may name a file after a citizen's case: the name is kept in the history, the number is not.
        names.append(shortened(without_cpr_like_numbers(Path(uploaded.name).name)))
    return token, names


def shortened(name: str, limit: int = 150) -> str:
    """A long file name cut in its middle, so that its kind (.xlsx, .csv), which decides how it is read, stays."""
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:20]
    return name[: limit - len(suffix) - 1] + "…" + suffix


def kept(token: str, names: list[str]) -> list[tuple[str, Path]] | None:
    """The stored files of an upload, or None when they are gone (confirmed already, or expired)."""
    if not TOKEN.match(token):
        return None
    folder = upload_dir() / token
    files = [(name, folder / f"{number}.upload") for number, name in enumerate(names)]
    return files if files and all(path.is_file() for _name, path in files) else None


def text_size(token: str, names: list[str]) -> int:
    """How much text the upload holds, in bytes: a spreadsheet's as unpacked (an XLSX is a zip, some ten times
    smaller than what it holds), so that a large workbook counts as large. 0 when the upload is gone."""
    total = 0
    for _name, path in kept(token, names) or []:
        try:
            with zipfile.ZipFile(path) as archive:
                total += sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            total += path.stat().st_size if path.is_file() else 0
    return total


def claim_preparing(token: str, key: str, stale_seconds: float) -> bool:
    """Whether the caller is the one to have this preview made by a worker: the first to ask, or the first after
    the last one's worker was stopped (nothing kept within stale_seconds). Two pages asking at once queue it once."""
    folder = upload_dir() / token
    if not TOKEN.match(token) or not folder.is_dir():
        return False
    marker = preparing_marker(folder, key)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except FileExistsError:
        try:
            if marker.stat().st_mtime > time.time() - stale_seconds:
                return False
        except FileNotFoundError:
            return False
        marker.touch()
        return True


def preparing_since(token: str, key: str) -> float | None:
    """When the worker was asked for this preview (a timestamp), or None when nobody asked."""
    if not TOKEN.match(token):
        return None
    try:
        return preparing_marker(upload_dir() / token, key).stat().st_mtime
    except FileNotFoundError:
        return None


def preparing_marker(folder: Path, key: str) -> Path:
    return preview_path(folder, key).with_suffix(".preparing")


def keep_preview(token: str, key: str, preview: dict, made_since: float) -> None:
    """Keep what the preview shows beside its upload, where every server process and worker finds it (a cache of
    one process would not: with several, the next page or the confirmation went to another that had to read the
    file again, 15 s at 50,000 rows); written whole or not at all. Previews kept before this one's making began
    (made_since, a timestamp) are of older data and go: a slow worker's older preview never removes a newer one."""
    folder = upload_dir() / token
    if not TOKEN.match(token) or not folder.is_dir():
        return
    for kept_file in folder.glob("preview-*.pickle"):
        with contextlib.suppress(FileNotFoundError):
            if kept_file.stat().st_mtime < made_since:
                kept_file.unlink()
    partial = folder / f"preview-{secrets.token_hex(8)}.partial"
    partial.write_bytes(pickle.dumps(preview, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(preview_path(folder, key))
    preparing_marker(folder, key).unlink(missing_ok=True)


def kept_preview(token: str, key: str) -> dict | None:
    """The preview kept under this key (the upload as Samkort's data and the language were when it was made)."""
    if not TOKEN.match(token):
        return None
    return read_preview(preview_path(upload_dir() / token, key))


def read_preview(path: Path) -> dict | None:
    """A kept preview, or None when it is gone or cannot be read."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        # Samkort's own file, in its private folder, under a name only it makes.
        return pickle.loads(content)  # noqa: S301
    except Exception:
        # Cut short, or kept by an older Samkort whose classes have changed since: made again.
        return None


def forget_preview(token: str) -> None:
    if TOKEN.match(token):
        for pattern in ("preview-*.pickle", "preview-*.preparing"):
            for kept_file in (upload_dir() / token).glob(pattern):
                kept_file.unlink(missing_ok=True)


def preview_path(folder: Path, key: str) -> Path:
    """The file of the preview kept under the key; its name begins with the key's family (the key without its last
    part, the data's version), so that the latest preview of a family is found when its data has changed."""
    family = key.rpartition(":")[0]
    return folder / f"preview-{short_hash(family)}-{short_hash(key)}.pickle"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def latest_preview(token: str, key: str) -> dict | None:
    """The newest preview of the key's family kept under another version of the data: what to show, marked as made
    before the latest changes, while a worker makes the preview of the data as they are now."""
    if not TOKEN.match(token):
        return None
    folder = upload_dir() / token
    current = preview_path(folder, key)
    family = current.name.split("-")[1]
    older = [path for path in folder.glob(f"preview-{family}-*.pickle") if path != current]
    for path in sorted(older, key=modified, reverse=True):
        if (preview := read_preview(path)) is not None:
            return preview
    return None


def modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def forget(token: str) -> None:
    if TOKEN.match(token):
        shutil.rmtree(upload_dir() / token, ignore_errors=True)


def forget_old() -> None:
    limit = time.time() - KEPT_SECONDS
    for folder in upload_dir().iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue  # another request cleared it first
