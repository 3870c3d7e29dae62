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
from collections.abc import Coroutine
from contextlib import aclosing
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hnterm.cli.common import command_cache, parse_item, say, silence_stdout
from hnterm.config import API_ENV, Config
from hnterm.model.format import plural
from hnterm.model.items import Item
from hnterm.model.thread import ORDERS, Thread
from hnterm.net.client import HNClient, HNError
from hnterm.storage.paths import CACHE_ENV

if TYPE_CHECKING:
    from hnterm.services.source import Source

FORMATS = ("json", "markdown")
PARTIAL = 3  # exit status: written, but replies are missing (not cached, failed)
# Imported while the item's first request is out (see ``load``), not before it.
LATER = (
    "hnterm.services.source",
    "hnterm.storage.worker",
    "hnterm.services.reading",
    "hnterm.render.export",
)


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
        thread, warning = asyncio.run(dump(args, config))
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


def as_asked(thread: Thread, args: argparse.Namespace, config: Config) -> Thread:
    """The thread as the command line asks: narrowed (``--only``), ordered, folded."""
    if args.only is not None:
        thread = only(thread, args.only)
    from hnterm.services.reading import set_order  # (imported during the load)

    set_order(thread, args.order)
    if args.filtered:
        filtered(thread, config)
    return thread


class AskedAhead(HNClient):
    """The client, with items asked for before anything wants them: the first ask for such
    an item gets that answer (or its failure) instead of a second request."""

    def __init__(self, base_url: str, *, deadline: float) -> None:
        super().__init__(base_url, deadline=deadline)
        self._ahead: dict[int, asyncio.Task[Item | None]] = {}

    def ask_ahead(self, item_id: int) -> None:
        """Send the item's request now (on the running loop)."""
        self._ahead[item_id] = asyncio.ensure_future(super().item(item_id))

    def item(self, item_id: int) -> Coroutine[Any, Any, Item | None]:
        ahead = self._ahead.pop(item_id, None)
        return super().item(item_id) if ahead is None else _answer(ahead)

    async def aclose(self) -> None:
        """Close, with the answers nobody asked for (a fresh cached copy) dropped."""
        for task in self._ahead.values():
            task.cancel()
        await asyncio.gather(*self._ahead.values(), return_exceptions=True)
        self._ahead.clear()
        await super().aclose()


async def _answer(task: asyncio.Task[Item | None]) -> Item | None:
    return await task


def _import_the_rest() -> None:
    """The modules the load and the export need beyond the client (the source, the cache,
    the exporter: ~30 ms of imports), imported on a thread while the first request is out."""
    for name in LATER:
        import_module(name)


async def dump(args: argparse.Namespace, config: Config) -> tuple[Thread, str | None]:
    """Load the thread holding ``args.item`` and write it out; the thread written, and a
    warning if it is partial.

    The item's request goes out first, before the cache is open and before the modules that
    read the cache are imported: they load while it is answered. The cache still decides
    as before: with a fresh copy cached that answer goes unused. At the end the thread is
    written out on a thread of its own while the cache closes (folding its log into the
    file: ~15 ms of I/O the output need not wait for)."""
    client = None
    if not config.offline:
        client = AskedAhead(config.api_url, deadline=config.deadline)
        client.ask_ahead(args.item)
        await asyncio.sleep(0)  # it starts: HTTP stack imported, connection opening
    await asyncio.to_thread(_import_the_rest)
    from hnterm.services.source import Source

    async with command_cache(config, "dump") as worker:
        try:
            thread, warning = await load(Source(client, worker), args.item)
        finally:
            if client is not None:
                await client.aclose()
        if thread.root is None:
            if config.offline and worker.path is None:  # the cache's problem says why
                raise DumpError(f"item {args.item} could not be read: the cache is unavailable")
            if config.offline:
                raise DumpError(f"item {args.item} is not in the cache (offline mode)")
            if warning:
                raise DumpError(f"item {args.item}: {warning}")
            raise DumpError(f"item {args.item} does not exist")
        thread = as_asked(thread, args, config)
        writing = asyncio.create_task(asyncio.to_thread(write_out, thread, args))
        await asyncio.sleep(0)  # on its way before the cache's close below
    await writing
    return thread, warning


def write_out(thread: Thread, args: argparse.Namespace) -> None:
    """Export and write (on a thread: the cache closes meanwhile)."""
    write(export(thread, args.format, args.item), args.output)


async def load(source: Source, item_id: int) -> tuple[Thread, str | None]:
    """The thread holding ``item_id`` as the app would show it, and a warning if partial."""
    progress = sys.stderr.isatty()
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
    return thread, warning


def export(thread: Thread, form: str, requested: int) -> str:
    """The thread as text in ``form``. Everything alive now lives to the end, so it is frozen
    out of the collector meanwhile: the full collection the export's allocations set off
    would otherwise scan every object the load left (~20 ms for 3,000 comments)."""
    from hnterm.render.export import to_json, to_markdown  # (imported during the load)

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
