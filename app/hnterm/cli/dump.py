"""``hnterm dump ITEM``: a whole thread written out as JSON or Markdown, without the TUI.

The thread is loaded exactly as the app loads it (``Source.thread``: the cached copy, then the
network when that copy is stale), so a dump also fills the cache, and ``--offline`` dumps what
was read before. An ITEM that is a comment dumps its story's thread.

Exit status: 0 when a whole thread was written; 3 when replies are missing (written anyway,
said on stderr and in the JSON's ``complete``; ``--partial`` makes that 0); 1 when there was
nothing to write or it could not be written (a full disk, a closed file: one line says why);
2 for a bad command line. ``-o FILE`` is replaced atomically.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import gc
import os
import stat
import sys
from contextlib import aclosing
from pathlib import Path

from hnterm.cli.common import command_cache, parse_item, say, silence_stdout
from hnterm.config import API_ENV, Config
from hnterm.model.format import plural
from hnterm.model.thread import ORDERS, Thread
from hnterm.net.client import HNClient, HNError
from hnterm.render.export import to_json, to_markdown
from hnterm.services.reading import set_order
from hnterm.services.source import Source
from hnterm.storage.paths import CACHE_ENV

FORMATS = ("json", "markdown")
PARTIAL = 3  # exit status: written, but replies are missing (not cached, failed)


class DumpError(Exception):
    """Nothing could be dumped; the message is the one line the user sees."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``hnterm dump`` (global options come from the main parser)."""
    parser.description = (
        "Write a Hacker News thread out as JSON (the API's item form, plus the reply tree) "
        "or Markdown."
    )
    parser.epilog = f"environment: {API_ENV} (like --api-url), {CACHE_ENV} (like --cache-dir)"
    parser.add_argument(
        "item", type=parse_item, metavar="ITEM", help="story or comment id, or its HN URL"
    )
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="json", help="output format (default json)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout"
    )
    parser.add_argument(
        "--only",
        metavar="QUERY",
        help='only the top-level comments QUERY matches, with their replies (words, "phrases", '
        "word*, -word, by:name)",
    )
    parser.add_argument(
        "--order",
        choices=ORDERS,
        default=ORDERS[0],
        help="the order replies are written in: HN's rank (default), newest first, oldest "
        "first, most replies first",
    )
    parser.add_argument(
        "--filtered",
        action="store_true",
        help="fold the comments the config's [filters] match: no author or text, the "
        "reason instead (default: everything is written)",
    )
    parser.add_argument(
        "--partial",
        action="store_true",
        help=f"exit 0 for a thread with replies missing (else {PARTIAL}; it is written anyway)",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    try:
        thread, warning = asyncio.run(load(config, args.item))
        if args.only is not None:
            thread = only(thread, args.only)
        set_order(thread, args.order)
        if args.filtered:
            filtered(thread, config)
        write(export(thread, args.format, args.item), args.output)
    except DumpError as exc:
        say(f"hnterm dump: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    missing = thread.missing_kids()
    if missing:
        reason = f" ({warning})" if warning else ""
        say(
            f"hnterm dump: incomplete: {plural(len(missing), 'reply', 'replies')} "
            f"of {thread.root_id} not loaded{reason}"
            + ("" if args.partial else "; --partial accepts that"),
            file=sys.stderr,
        )
        return 0 if args.partial else PARTIAL
    if warning:
        say(f"hnterm dump: warning: {warning}", file=sys.stderr)
    return 0


async def load(config: Config, item_id: int) -> tuple[Thread, str | None]:
    """The thread holding ``item_id`` as the app would show it, and a warning if partial."""
    client = None if config.offline else HNClient(config.api_url, deadline=config.deadline)
    progress = sys.stderr.isatty()
    async with command_cache(config, "dump") as cache:
        source = Source(client, cache)
        try:
            try:
                root_id = await source.resolve_root(item_id)
            except HNError as exc:
                raise DumpError(f"cannot load item {item_id}: {exc}") from None
            thread = Thread(root_id)
            warning = None
            async with aclosing(source.thread(root_id)) as updates:
                async for update in updates:
                    thread.add(update.items)
                    warning = update.error
                    if progress and not update.done:
                        print(f"\rloading: {len(thread)} comments", end="", file=sys.stderr)
            if progress:
                print("\r\033[K", end="", file=sys.stderr)
        finally:
            if client is not None:
                await client.aclose()
    if thread.root is None:
        if config.offline and cache.path is None:  # the line before this one says why
            raise DumpError(f"item {item_id} could not be read: the cache is unavailable")
        if config.offline:
            raise DumpError(f"item {item_id} is not in the cache (offline mode)")
        if warning:
            raise DumpError(f"item {item_id}: {warning}")
        raise DumpError(f"item {item_id} does not exist")
    return thread, warning


def export(thread: Thread, form: str, requested: int) -> str:
    """The thread as text in ``form``. Everything alive now lives to the end, so it is frozen
    out of the collector meanwhile: the full collection the export's allocations set off
    would otherwise scan every object the load left (~20 ms for 3,000 comments)."""
    gc.freeze()
    try:
        if form == "markdown":
            return to_markdown(thread)
        return to_json(thread, requested=requested) + "\n"
    finally:
        gc.unfreeze()


def filtered(thread: Thread, config: Config) -> None:
    """``--filtered``: the comments the config's filters match folded (imported only then,
    as ``only``'s narrowing is: a plain dump starts its first request sooner)."""
    from hnterm.services.filtering import Filtering, fold_filtered

    test = Filtering(config.filters).comment_test()
    if test is not None:
        fold_filtered(thread, test)


def only(thread: Thread, query: str) -> Thread:
    """The thread narrowed to the top-level comments ``query`` matches (said on stderr:
    '41 of 612 shown'); a query with nothing to match by is a ``DumpError``."""
    from hnterm.model.narrow import EmptyQuery, narrowed
    from hnterm.services.narrowing import narrow_thread

    try:
        narrowing = narrow_thread(thread, query)
    except EmptyQuery as exc:
        raise DumpError(str(exc)) from None
    say(f"hnterm dump: {narrowing.count}", file=sys.stderr)
    return narrowed(thread, narrowing)


def write(text: str, output: Path | None) -> None:
    """Write to ``output`` (replacing it whole) or stdout; a failure is a ``DumpError``
    saying why, never a traceback."""
    if output is None:
        _write_stdout(text)
    else:
        _write_file(text, output)


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `hnterm dump ... | head`: the reader has had enough
        silence_stdout()
    except OSError as exc:  # `> /dev/full` (ENOSPC), EIO, a quota...
        silence_stdout()
        raise DumpError(f"cannot write to stdout: {exc.strerror or exc}") from None


def _write_file(text: str, output: Path) -> None:
    """Atomically: into a temporary file next to ``output``, synced, then renamed over it,
    so a reader sees the old file or the new one, and a failed write (full disk, size limit,
    a kill) leaves the old file whole. A target that is not a regular file (/dev/stdout, a
    pipe, /dev/null) is written directly: renaming over it would replace the device."""
    try:  # through links, /proc's too: /dev/stdout -> /proc/self/fd/1 -> "pipe:[N]" is a pipe
        info = output.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise DumpError(f"cannot write {output}: {exc.strerror or exc}") from None
    data = text.encode("utf-8")
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:
            with open(output, "wb") as stream:
                stream.write(data)
        except BrokenPipeError:  # `-o /dev/stdout | head`: the reader has had enough
            return
        except OSError as exc:
            raise DumpError(f"cannot write {output}: {exc.strerror or exc}") from None
        return
    target = Path(os.path.realpath(output))  # through a symlink: replace what it points at
    temporary: Path | None = None
    try:
        fd, name = _create_temporary(target)
        temporary = Path(name)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if info is not None:  # keep the old file's permissions
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise DumpError(
            f"cannot write {output}: {exc.strerror or exc}"
            + ("; the old file is unchanged" if info is not None else "")
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new hidden file beside ``target``, created with the mode a plain ``open`` would
    give it (0o666 less the umask; ``mkstemp`` would make it 0o600)."""
    import secrets  # only -o needs it (with hmac: ~2 ms a plain dump does not pay)

    for _ in range(100):
        name = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        return fd, str(name)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
