"""Shared set-up of the AppTest modules: test configuration, a data folder, the demo once.

The demo is loaded once per session by the app's own first start into a template folder; each
module then works on its own copy, so modules never see each other's changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.policy import Principal

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TEST_CONFIG = ROOT / "tests" / "assistant.test.toml"
MINI_POOL = ROOT / "tests" / "fixtures" / "mini_pool.yaml"


@contextmanager
def app_environment(folder: Path, *, edited_pool: bool = False) -> Iterator[Path]:
    """Point the app at ``folder`` with the test configuration (hashing embedder, mini pool).

    ``edited_pool``: the mini pool as the folder's edited pool instead of a fixed ``pool``
    setting, so pages may save changes to it.
    """
    import streamlit as st

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_CONFIG", str(TEST_CONFIG))
        patch.setenv("ASSISTANT_DATA_DIR", str(folder))
        if edited_pool:
            shutil.copy(MINI_POOL, folder / "topic_pool.yaml")
            patch.setenv("ASSISTANT_POOL", "")
        st.cache_resource.clear()
        try:
            yield folder
        finally:
            st.cache_resource.clear()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder in which the app's first start loaded the demo (once per session)."""
    folder = tmp_path_factory.mktemp("ui-demo-template")
    with app_environment(folder):
        at = AppTest.from_file(APP, default_timeout=180).run()
        assert not at.exception
    return folder


@pytest.fixture(scope="module")
def demo_copy(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the demo data folder."""
    folder = tmp_path_factory.mktemp("ui-demo")
    shutil.copytree(demo_template, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo_app(demo_copy: Path) -> Iterator[Path]:
    """The app on this module's demo copy; use with ``pytestmark = usefixtures("demo_app")``."""
    with app_environment(demo_copy):
        yield demo_copy


@pytest.fixture(scope="module")
def engine(demo_app: Path) -> object:
    """The app's own cached engine (same process), to check what a page stored."""
    from assistant.ui import state

    AppTest.from_file(APP, default_timeout=180).run()
    return state.assistant()


def sign_in_as(at: AppTest, who: Principal) -> AppTest:
    """Sign ``at`` in as ``who``, with an account that says so in the app's database.

    The app re-reads the account on every page run (issue #15), so a test principal needs a
    real account: it is created, or its role and scope set, through the app's own engine.
    """
    from assistant.policy import operator
    from assistant.ui import state

    engine = state.assistant()
    setup = operator("test:setup")
    scope = {
        "programmes": sorted(who.programmes) if who.role == "coordinator" else [],
        "groups": sorted(who.groups) if who.role == "moderator" else [],
    }
    known = {u["username"] for u in engine.users(setup)}
    if who.username in known:
        if who.role != "participant":
            engine.set_role(setup, who.username, who.role, **scope)
    elif who.role == "participant":
        engine.add_user(setup, who.username, "participant", participant_id=who.participant_id)
    else:
        engine.add_user(setup, who.username, who.role, **scope)
    at.session_state["principal"] = engine.principal(who.username)
    return at
