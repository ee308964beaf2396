"""Demo data: a believable city CPPCC and a year of its information work.

``loader.load_demo()`` builds the reference data (``reference.py``), plans a year
of reports, issues and outcomes (``story.py``, ``publishing.py``, ``fates.py``),
writing texts from ``topics.py`` (``texts.py``), and replays the plan through the
real domain functions at the planned times, so events, serial numbers and
notifications are the same as if people had done the work. Everything is
drawn from one ``random.Random(seed)``: the same seed gives the same data.
``notifications.py`` and ``scoring.py`` finish the picture for ``make run``
(demo mail addresses and preferences, the default points rules and ledger).
``manage.py import_messages`` lives here too: it loads real citizen messages.

This app is the top floor: it may import every other app and none imports it.
The package itself imports nothing, so Django can load the app before models.
"""
