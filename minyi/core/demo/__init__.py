"""Demo data: a believable city CPPCC and a year of its information work.

``load_demo()`` builds the reference data (``reference.py``), plans a year of
reports, issues and outcomes (``story.py``, ``publishing.py``, ``fates.py``),
writing texts from ``topics.py`` (``texts.py``), and replays the plan through the
real domain functions at the planned times, so events, serial numbers and
notifications are the same as if people had done the work. Everything is
drawn from one ``random.Random(seed)``: the same seed gives the same data.
"""

from __future__ import annotations

from minyi.core.demo.loader import DEMO_PASSWORD, DemoSize, is_loaded, load_demo

__all__ = ["DEMO_PASSWORD", "DemoSize", "is_loaded", "load_demo"]
