"""The compile cache: compiled training loops kept across processes.

A first fit traces its training loop and has XLA compile it; the cache keeps
XLA's compiled programs on disk, so a later process (a user's second run,
every cross-validation or grid-search worker after the first, every test
worker) skips the compile. Under JAX it is on by default; under TensorFlow it
is opt-in (``SKCLASSIFY_XLA_CACHE=DIR``: see :func:`tf_cache_flag` for why).
Its default folder is the user's cache folder:

* Linux and other Unix: ``$XDG_CACHE_HOME/skclassify/xla`` (by default
  ``~/.cache/skclassify/xla``);
* macOS: ``~/Library/Caches/skclassify/xla``;
* Windows: ``%LOCALAPPDATA%\\skclassify\\Cache\\xla``.

``SKCLASSIFY_XLA_CACHE=DIR`` moves it, ``SKCLASSIFY_XLA_CACHE=off`` (or
``0``, ``false``, ``no``) turns it off, and ``SKCLASSIFY_XLA_CACHE_MAX_MB``
caps its size (default 256; the least recently used entries go first). A
folder that cannot be created turns it off without a message. Set before
Keras is imported.

Safe under concurrency (many processes compiling the same network at once):

* TensorFlow writes an entry in place through a temporary file of a fixed
  name, so two writers can interleave, and it crashes on a truncated entry
  ("Read less bytes than requested"). TensorFlow therefore only ever sees a
  private folder of this process (in the system's temporary folder): entries
  are published from it into the shared folder with a checksum, written to a
  unique temporary name and renamed into place (atomic), and loaded back
  into a new process's private folder only when their checksum holds; a
  corrupt or partial entry is deleted and the network compiled again,
  silently.
  Each process reads the shared entries once, before its first compile
  (a checksum over at most the size cap).
* JAX uses its own persistent compilation cache, whose reads and writes hold
  a file lock (with the size cap, which needs the ``filelock`` package); an
  entry it cannot read is compiled again, and JAX's warning about it is
  filtered out.
"""

import atexit
import os
import shutil
import struct
import sys
import tempfile
import threading
import warnings
import zlib

__all__ = [
    "configure_jax_cache",
    "default_cache_dir",
    "load_compiled",
    "publish_compiled",
    "strip_inherited_cache_flag",
    "tf_cache_flag",
    "xla_cache_dir",
]

_ENV, _ENV_MAX = "SKCLASSIFY_XLA_CACHE", "SKCLASSIFY_XLA_CACHE_MAX_MB"
_DEFAULT_MAX_MB = 256
_OFF = ("0", "off", "false", "no")
#: Header of a published TensorFlow entry: magic, CRC-32, payload length.
_MAGIC = b"SKCXLA01"
_HEADER = struct.Struct("<8sIQ")
_SUFFIX = ".skc"

_lock = threading.Lock()
_tf = {"shared": None, "private": None, "loaded": False, "known": set(), "mtime": 0}


def default_cache_dir():
    """The user's cache folder for skclassify's compiled loops (see module doc)."""
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "skclassify", "Cache", "xla")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "skclassify", "xla")
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: ignore relative paths
        base = os.path.join(home, ".cache")
    return os.path.join(base, "skclassify", "xla")


def xla_cache_dir():
    """The folder of the compile cache, created if needed, or None when off.

    ``SKCLASSIFY_XLA_CACHE`` unset or empty: :func:`default_cache_dir`;
    ``off``, ``0``, ``false`` or ``no``: off; anything else: that folder.
    A folder that cannot be created turns the cache off.
    """
    value = os.environ.get(_ENV, "").strip()
    if value.lower() in _OFF:
        return None
    folder = value or default_cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder


def max_cache_bytes():
    """The size cap of each backend's cache, from ``SKCLASSIFY_XLA_CACHE_MAX_MB``."""
    try:
        megabytes = float(os.environ.get(_ENV_MAX, _DEFAULT_MAX_MB))
    except ValueError:
        megabytes = _DEFAULT_MAX_MB
    return max(0, int(megabytes * 2**20))


# -- TensorFlow ---------------------------------------------------------------------
def tf_cache_flag():
    """The ``TF_XLA_FLAGS`` option naming this process's private folder, or "".

    Called once, before TensorFlow is imported.
    """
    if not os.environ.get(_ENV, "").strip():
        # Opt-in under TensorFlow: with many processes sharing the cache (a
        # test session's workers and their subprocesses), TensorFlow printed
        # "Error parsing text-format tensorflow.XlaSerializedCacheEntry" and
        # AOT machine-feature warnings on stderr; JAX's own cache stays on.
        return ""
    root = xla_cache_dir()
    if root is None:
        return ""
    shared = os.path.join(root, "tensorflow")
    try:
        os.makedirs(shared, exist_ok=True)
        _remove_orphans()
        private = tempfile.mkdtemp(prefix=f"skclassify-xla-{os.getpid()}-")
    except OSError:
        return ""
    atexit.register(shutil.rmtree, private, True)
    _tf.update(shared=shared, private=private)
    return f"--tf_xla_persistent_cache_directory={private}"


def strip_inherited_cache_flag(flags):
    """``TF_XLA_FLAGS`` without a private folder that another process set.

    :func:`tf_cache_flag` puts its process's private folder into the
    environment, which child processes inherit; a child must not write into
    its parent's folder (TensorFlow's writes there are not atomic), so the
    option is dropped and the child gets a folder of its own. A folder the
    user named stays.
    """
    kept = []
    for option in flags.split():
        name, _, value = option.partition("=")
        folder = os.path.basename(os.path.normpath(value))
        parts = folder.split("-")
        inherited = (
            name == "--tf_xla_persistent_cache_directory"
            and folder.startswith("skclassify-xla-")
            and len(parts) > 2
            and parts[2] != str(os.getpid())
        )
        if not inherited:
            kept.append(option)
    return " ".join(kept)


def _remove_orphans():
    """Remove the private folders of processes that died without cleaning up.

    A killed worker runs no exit handler; its folder is named by its pid.
    """
    if os.name != "posix":  # os.kill(pid, 0) only probes on POSIX
        return
    folder = tempfile.gettempdir()
    for name in _listdir(folder):
        parts = name.split("-")
        if not name.startswith("skclassify-xla-") or not parts[2].isdigit():
            continue
        try:
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
        except OSError:  # alive (another user's), or cannot tell
            pass


def load_compiled():
    """Copy the shared entries whose checksum holds into the private folder.

    Runs once per process, before its first compile; a bad entry is deleted.
    """
    with _lock:
        if _tf["loaded"] or _tf["private"] is None:
            return
        _tf["loaded"] = True
        for name in _listdir(_tf["shared"]):
            if not name.endswith(_SUFFIX):
                continue
            path = os.path.join(_tf["shared"], name)
            payload = _read_entry(path)
            if payload is None:
                _remove(path)
                continue
            target = os.path.join(_tf["private"], name[: -len(_SUFFIX)])
            _write_atomic(target, payload)
            _tf["known"].add(name[: -len(_SUFFIX)])
            _touch(path)  # recently used: evicted last
        _tf["mtime"] = _mtime(_tf["private"])


def publish_compiled():
    """Publish what TensorFlow compiled since the last call (cheap otherwise)."""
    with _lock:
        private = _tf["private"]
        if private is None or _mtime(private) == _tf["mtime"]:
            return
        _tf["mtime"] = _mtime(private)
        published = False
        for name in _listdir(private):
            if name in _tf["known"] or not name.endswith(".pb"):
                continue
            try:
                with open(os.path.join(private, name), "rb") as f:
                    payload = f.read()
            except OSError:
                continue
            header = _HEADER.pack(_MAGIC, zlib.crc32(payload), len(payload))
            target = os.path.join(_tf["shared"], name + _SUFFIX)
            published |= _write_atomic(target, header + payload)
            _tf["known"].add(name)
        if published:
            _evict(_tf["shared"], max_cache_bytes())


def _read_entry(path):
    """The payload of a published entry, or None if it is partial or corrupt."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if len(data) < _HEADER.size:
        return None
    magic, crc, length = _HEADER.unpack_from(data)
    payload = data[_HEADER.size :]
    if magic != _MAGIC or length != len(payload) or zlib.crc32(payload) != crc:
        return None
    return payload


def _write_atomic(path, data):
    """Write through a unique temporary file renamed into place; False on error."""
    folder = os.path.dirname(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        return True
    except OSError:
        _remove(tmp)
        return False


def _evict(folder, cap):
    """Delete the least recently used entries until the folder holds ``cap`` bytes."""
    entries = []
    for name in _listdir(folder):
        if name.endswith(_SUFFIX):
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, name))
    total = sum(size for _, size, _ in entries)
    for _, size, name in sorted(entries):
        if total <= cap:
            break
        _remove(os.path.join(folder, name))
        total -= size


def _listdir(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _mtime(folder):
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return 0


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _touch(path):
    try:
        os.utime(path)
    except OSError:
        pass


# -- JAX ----------------------------------------------------------------------------
def configure_jax_cache():
    """Point JAX's persistent compilation cache at ``<cache>/jax``.

    Leaves a cache folder the user configured alone. Only programs that took
    at least 0.1 s to compile are kept (the training loops, not every small
    eager operation).
    """
    import jax

    root = xla_cache_dir()
    if root is None or jax.config.jax_compilation_cache_dir:
        return
    folder = os.path.join(root, "jax")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return
    try:
        import filelock  # noqa: F401  (JAX locks its cache with it)
    except ImportError:
        pass
    else:
        jax.config.update("jax_compilation_cache_max_size", max_cache_bytes())
    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.1)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    # An unreadable entry is compiled again; JAX warns, skclassify need not.
    warnings.filterwarnings(
        "ignore", message="Error reading persistent compilation cache entry"
    )
