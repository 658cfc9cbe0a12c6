"""The page's state in its URL: policies, base, replications, seed and each edited policy's levers.

A reload or a shared link restores the view. Under Voila a preheated kernel does not see the
request's URL, so the page itself reports it: :class:`UrlState` is a tiny anywidget whose
JavaScript sends ``location.search`` to the kernel when it is drawn and writes the state back
with ``history.replaceState`` whenever it changes. The app's ``token`` (and any other parameter
this module does not own) is never written into the state: a link carries the view, not the key.

The state is a query string: ``policies=a,b&base=a&replications=5&seed=2026``, the scenario
files added as policies (``files=<json list>``), plus one ``set.<policy>=<json of the changed
levers>`` per modified policy.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import anywidget
import traitlets

from warrantysim.workbench import handoff
from warrantysim.workbench.levers import Levers

OWNED = ("policies", "base", "replications", "seed", "files")
SET_PREFIX = "set."


@dataclass(frozen=True)
class PageState:
    policies: tuple[str, ...] = ()
    base: str | None = None
    replications: int | None = None
    seed: int | None = None
    levers: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    """Policy → the levers changed from its file, by lever name (JSON values)."""
    files: tuple[str, ...] = ()
    """Scenario files added as policies, as typed (read again only from the folders the
    dashboard may read: a link cannot open any other file)."""


def lever_changes(levers: Levers, start: Levers) -> dict[str, Any]:
    """The levers that differ from ``start``, as JSON-ready values (enums by value)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(Levers):
        now = getattr(levers, f.name)
        if now != getattr(start, f.name):
            out[f.name] = getattr(now, "value", now)
    return out


def encode(state: PageState) -> str:
    """The query string (with its leading ``?``) for ``state``; never a token."""
    items: list[tuple[str, str]] = []
    if state.policies:
        items.append(("policies", ",".join(state.policies)))
    if state.base:
        items.append(("base", state.base))
    if state.replications is not None:
        items.append(("replications", str(state.replications)))
    if state.seed is not None:
        items.append(("seed", str(state.seed)))
    if state.files:
        items.append(("files", json.dumps(list(state.files), separators=(",", ":"))))
    for policy, changes in state.levers.items():
        if changes:
            items.append((SET_PREFIX + policy, json.dumps(changes, separators=(",", ":"))))
    return "?" + urlencode(items) if items else ""


def decode(query: str) -> PageState:
    """The state in a query string; unknown parameters (the token among them) are ignored, and
    a value that does not parse is dropped rather than guessed."""
    pairs = dict(parse_qsl(query.lstrip("?"), keep_blank_values=False))
    levers: dict[str, dict[str, Any]] = {}
    for key, value in pairs.items():
        if key.startswith(SET_PREFIX):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError:
                continue
            if isinstance(parsed, dict):
                levers[key.removeprefix(SET_PREFIX)] = parsed
    policies = tuple(p for p in pairs.get("policies", "").split(",") if p)
    files = _texts(pairs.get("files"))
    return PageState(
        policies=policies,
        base=pairs.get("base") or None,
        replications=_int(pairs.get("replications")),
        seed=_int(pairs.get("seed")),
        levers=levers,
        files=files,
    )


def _texts(text: str | None) -> tuple[str, ...]:
    """A JSON list of texts, or () for anything else."""
    try:
        parsed = json.loads(text) if text else []
    except json.JSONDecodeError:
        return ()
    ok = isinstance(parsed, list) and all(isinstance(p, str) for p in parsed)
    return tuple(parsed) if ok else ()


PREHEATED_LINE = "warrantysim: kernel preheated, waiting for its page"
REQUEST_ENV = {
    "QUERY_STRING": handoff.without_secrets,
    "VOILA_REQUEST_URL": handoff.url_without_secrets,
}
"""Where Voila gives a kernel its page's address, and how the token is taken out of each."""


def request_query() -> str:
    """The query string of the page this kernel serves, without the token; "" outside Voila.

    A preheated Voila kernel ran the notebook before any page asked for it: here it waits for
    its page's request, which ``warrantysim app`` hands over in a private file
    (:mod:`warrantysim.workbench.handoff`; under plain Voila, its ``wait_for_request``), so a
    reloaded page's or a shared link's state reaches it before the first answer is drawn. The
    token is taken out of the environment too: the kernel runs user-facing code and never
    needs it.
    """
    if os.environ.get("VOILA_PREHEAT") == "True":
        print(PREHEATED_LINE, file=sys.__stderr__, flush=True)  # into the server's log
        _wait_for_request()
    for name, scrub in REQUEST_ENV.items():
        if name in os.environ:
            os.environ[name] = scrub(os.environ[name])
    return os.environ.get("QUERY_STRING", "")


def _wait_for_request() -> None:
    folder = handoff.folder_from_environment()
    if folder is None:  # plain Voila, not `warrantysim app`
        from voila.utils import wait_for_request

        wait_for_request()
        return
    os.environ.update(handoff.receive(folder, os.environ["VOILA_KERNEL_ID"]))


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def apply_changes(start: Levers, changes: Mapping[str, Any]) -> Levers:
    """``start`` with the changed levers of a URL; unknown lever names are ignored."""
    names = {f.name: f for f in dataclasses.fields(Levers)}
    known = {k: v for k, v in changes.items() if k in names}
    # Enum-valued levers come back as their values; the dataclass holds the enum members.
    for key, value in known.items():
        current = getattr(start, key)
        if hasattr(current, "value") and not isinstance(value, type(current)):
            known[key] = type(current)(value)
    return dataclasses.replace(start, **known)


_ESM = """
function render({ model }) {
  const owned = ["policies", "base", "replications", "seed", "files"];
  model.set("query", window.location.search);
  model.save_changes();
  model.on("change:state", () => {
    const keep = new URLSearchParams();
    for (const [k, v] of new URLSearchParams(window.location.search)) {
      // Parameters this page does not own stay as they are (the token among them): the state
      // written below never includes it, and a link copied from the address bar is the user's.
      if (!owned.includes(k) && !k.startsWith("set.") && k !== "token") keep.append(k, v);
    }
    const state = new URLSearchParams(model.get("state"));
    for (const [k, v] of state) keep.append(k, v);
    const search = keep.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  });
}
export default { render };
"""


class UrlState(anywidget.AnyWidget):
    """Reads the page's query string (``query``) and writes ``state`` into the address bar."""

    _esm = _ESM
    query = traitlets.Unicode("").tag(sync=True)
    state = traitlets.Unicode("").tag(sync=True)
