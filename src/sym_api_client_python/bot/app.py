"""``Bot`` (sync handlers, blocking ``run()``) and ``AsyncBot`` (coroutines, ``await start()``)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
import threading
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..core.models.events import V4Event
from ..datafeed.async_driver import AsyncDatafeedRunner
from ..datafeed.dispatcher import AsyncDispatcher, SyncDispatcher, log_handler_error
from ..datafeed.sync_driver import SyncDatafeedRunner, run_interruptibly
from ._base import BotBase
from .context import AsyncContext, Context, SyncContext, ThreadContext
from .registry import Handler

logger = logging.getLogger("sym_api_client_python.bot")


class Bot(BotBase):
    """A bot with plain ``def`` handlers, run by a blocking :meth:`run`.

    ``Bot(config)`` takes a config path, a ``BotConfig`` or a legacy ``SymConfig``. Handlers of
    different streams run in a thread pool (``max_workers``), events of one stream in order.
    ``bot.messages``, ``bot.streams``... are the REST services.
    """

    def __init__(self, config: Any = None, *, client: Any = None, **datafeed_options: Any) -> None:
        super().__init__(config, client=client, **datafeed_options)
        self._runner: SyncDatafeedRunner | None = None
        self._stop_requested = threading.Event()

    # ------------------------------------------------------------------ REST
    def _new_client(self) -> Any:
        from ..client import SyncApiClient

        return SyncApiClient.from_config(self.config)

    def _new_services(self, client: Any) -> Any:
        from ..rest import SyncServices

        return SyncServices(client)

    def _check_handler(self, handler: Handler) -> None:
        if handler.is_async:
            raise TypeError(
                f"{handler.name} is a coroutine function: register async handlers on an AsyncBot "
                "(Bot runs plain functions in its thread pool)"
            )

    # ------------------------------------------------------------------ lifecycle
    def run(self) -> None:
        """Read the datafeed and dispatch events until :meth:`stop`, Ctrl-C or SIGTERM. Blocks;
        on the way out in-flight handlers finish and the last batch is acked."""
        self._warm_up()
        runner = SyncDatafeedRunner(
            self.client,
            self.settings.machine(),
            SyncDispatcher(
                self._handle_event, max_workers=self.settings.max_workers, gate=self.gate, stats=self.stats
            ),
            id_repository=self.settings.id_repository(),
            read_timeout=self.settings.read_timeout,
            tune_allocator=self.settings.tune_allocator,
        )
        self._runner = runner
        if self._stop_requested.is_set():  # stop() came first: honour it, do not start reading
            runner.stop()
        restore = self._install_sigterm()
        try:
            run_interruptibly(runner)
        finally:
            restore()
            runner.dispatcher.close()
            self._stop_requested.clear()

    def _install_sigterm(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        return lambda: signal.signal(signal.SIGTERM, previous)

    def stop(self) -> None:
        """Ask :meth:`run` to return (callable from any thread or handler; before ``run()``, the
        next ``run()`` returns at once)."""
        self._stop_requested.set()
        if self._runner is not None:
            self._runner.stop()

    def close(self) -> None:
        if self._client is not None and hasattr(self._client, "close"):
            self._client.close()

    def __enter__(self) -> Bot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.close()

    # ------------------------------------------------------------------ dispatch
    def _sync_identity(self) -> None:
        runner = self._runner
        if runner is not None and runner.machine.session_info and not self.session_info:
            self.session_info = runner.machine.session_info

    def _handle_event(self, event: V4Event) -> None:
        self._sync_identity()
        ctx = SyncContext(self, event)
        middlewares = self.registry.middlewares
        try:
            if not middlewares:  # no chain to build: straight to the handlers
                self._run_handlers(ctx)
                return
            chain = list(middlewares)

            def call(index: int) -> Any:
                if index < len(chain):
                    return chain[index](ctx, lambda: call(index + 1))
                return self._run_handlers(ctx)

            call(0)
        except Exception as exc:
            self._failed(ctx, exc)

    def _run_handlers(self, ctx: SyncContext) -> None:
        direct = self.registry.direct_handlers(ctx.event.type)
        if direct is not None:  # no rule takes part in choosing: no selection to build
            for handler in direct:
                try:
                    handler.callback(ctx)
                except Exception as exc:
                    self._failed(ctx, exc, handler)
            return
        selected, usage_error = self._full_selection(ctx)
        if usage_error is not None:
            ctx.reply(self.usage_reply(usage_error.problem, usage_error.usage))
            return
        for handler, values in selected:
            ctx.args = values
            try:
                if values:
                    handler.callback(ctx, **handler.kwargs_for(values))
                else:
                    handler.callback(ctx)
            except Exception as exc:
                self._failed(ctx, exc, handler)

    def _failed(self, ctx: Context, exc: Exception, handler: Handler | None = None) -> None:
        self.stats.add(handler_errors=1)
        log_handler_error(exc, ctx.event, where=f"handler {handler.name}" if handler else "middleware")
        for hook in self.registry.error_hooks:
            try:
                hook(ctx, exc)
            except Exception as hook_exc:
                log_handler_error(hook_exc, ctx.event, where="on_error hook")


class AsyncBot(BotBase):
    """A bot on asyncio: ``async def`` handlers run as tasks (at most ``max_concurrency`` at once),
    plain ``def`` handlers in a thread pool (``max_workers``) so they never block the loop."""

    def __init__(self, config: Any = None, *, client: Any = None, **datafeed_options: Any) -> None:
        super().__init__(config, client=client, **datafeed_options)
        self._runner: AsyncDatafeedRunner | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_before_start = False

    def _new_client(self) -> Any:
        from ..client import AsyncApiClient

        return AsyncApiClient.from_config(self.config)

    def _new_services(self, client: Any) -> Any:
        from ..rest import AsyncServices

        return AsyncServices(client)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Read the datafeed and dispatch events until :meth:`stop`; returns once in-flight
        handlers finished and the last batch was acked."""
        self._loop = asyncio.get_running_loop()
        self._warm_up()
        self._pool = ThreadPoolExecutor(self.settings.max_workers, thread_name_prefix="symphony-handler")
        runner = AsyncDatafeedRunner(
            self.client,
            self.settings.machine(),
            AsyncDispatcher(
                self._handle_event,
                max_concurrency=self.settings.max_concurrency,
                gate=self.gate,
                stats=self.stats,
            ),
            id_repository=self.settings.id_repository(),
            read_timeout=self.settings.read_timeout,
            tune_allocator=self.settings.tune_allocator,
        )
        self._runner = runner
        if self._stop_before_start:
            runner.stop()
        try:
            await runner.run()
        finally:
            self._pool.shutdown(wait=False)
            self._stop_before_start = False
            self._runner = None

    def stop(self) -> None:
        """Ask :meth:`start` to return; callable from the loop, a handler or another thread."""
        runner = self._runner
        if runner is None:
            self._stop_before_start = True
            return
        runner.stop_threadsafe()

    def run(self) -> None:
        """Blocking entry point for scripts: runs :meth:`start` in a new event loop; Ctrl-C and
        SIGTERM stop the bot cleanly."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self.stop)
            try:
                await self.start()
            finally:
                await self.aclose()

        asyncio.run(main())

    async def aclose(self) -> None:
        if self._client is not None and hasattr(self._client, "close"):
            result = self._client.close()
            if inspect.isawaitable(result):
                await result

    async def __aenter__(self) -> AsyncBot:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
        await self.aclose()

    # ------------------------------------------------------------------ dispatch
    def _handle_event(self, event: V4Event) -> Awaitable[None]:
        # A plain function returning what the dispatcher awaits: with no middleware that is the
        # handler run itself, one coroutine per event fewer than an async wrapper around it.
        if not self.session_info and self._runner is not None and self._runner.machine.session_info:
            self.session_info = self._runner.machine.session_info
        ctx = AsyncContext(self, event)
        registry = self.registry
        if registry.middlewares:
            return self._through_middlewares(ctx)
        direct = registry.direct_handlers(event.type)
        if direct is not None and len(direct) == 1 and direct[0].is_async:
            # the common bot (one async on_event handler for this type): no selection to run
            return self._run_one(direct[0], ctx)
        return self._run_handlers(ctx, contain=True)

    async def _run_one(self, handler: Handler, ctx: AsyncContext) -> None:
        try:
            await handler.callback(ctx)
        except Exception as exc:
            await self._failed(ctx, exc, handler)

    async def _through_middlewares(self, ctx: AsyncContext) -> None:
        chain = list(self.registry.middlewares)

        async def call(index: int) -> Any:
            if index < len(chain):
                result = chain[index](ctx, lambda: call(index + 1))
                return await result if inspect.isawaitable(result) else result
            return await self._run_handlers(ctx)

        try:
            await call(0)
        except Exception as exc:
            await self._failed(ctx, exc)

    async def _run_handlers(self, ctx: AsyncContext, *, contain: bool = False) -> None:
        """Select and run the handlers of ``ctx``. A failure outside the handlers themselves
        (selection, usage reply) propagates to the middlewares, or with ``contain`` (no
        middleware) is reported here."""
        try:
            selected, usage_error = self._selection(ctx)
            if usage_error is not None:
                await ctx.reply(self.usage_reply(usage_error.problem, usage_error.usage))
                return
            for handler, values in selected:
                ctx.args = values
                kwargs = handler.kwargs_for(values) if values else {}
                try:
                    if handler.is_async:
                        await (handler.callback(ctx, **kwargs) if kwargs else handler.callback(ctx))
                    else:
                        await self._run_in_thread(handler, ctx, kwargs)
                except Exception as exc:
                    await self._failed(ctx, exc, handler)
        except Exception as exc:
            if not contain:
                raise
            await self._failed(ctx, exc)

    async def _run_in_thread(self, handler: Handler, ctx: AsyncContext, kwargs: dict[str, Any]) -> None:
        assert self._loop is not None
        thread_ctx = ThreadContext(self, ctx.event, self._loop)
        thread_ctx.args, thread_ctx.state = ctx.args, ctx.state
        await self._loop.run_in_executor(self._pool, lambda: handler.callback(thread_ctx, **kwargs))

    async def _failed(self, ctx: Context, exc: Exception, handler: Handler | None = None) -> None:
        self.stats.add(handler_errors=1)
        log_handler_error(exc, ctx.event, where=f"handler {handler.name}" if handler else "middleware")
        for hook in self.registry.error_hooks:
            try:
                result = hook(ctx, exc)
                if inspect.isawaitable(result):
                    await result
            except Exception as hook_exc:
                log_handler_error(hook_exc, ctx.event, where="on_error hook")
