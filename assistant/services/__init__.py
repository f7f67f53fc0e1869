"""Application services: one capability each, unaware of who asks.

The ``Assistant`` facade (``assistant/service.py``) asks ``policy.py`` and writes the audit row
before it calls a service; pages and the CLI never reach a service directly.

- ``lookups``: programmes, participants and groups by name, with errors that list the options
- ``analyses``: stored analyses, get or recompute; pending entries processed; cache forgetting
- ``imports``: files and uploads, saved first and analysed second; the fictional demo
- ``workspace``: a participant's own entries and the suggestions on them
- ``peering``: peer indexes per programme, peers and the view a participant gets of them
- ``theming``: theme clusters stored and reused, themes over time, the theme map
- ``forum``: forum topics of a peer group, choices and history
- ``privacy``: consent, export, erasure, retention
- ``accounts``: accounts, sign-in, roles
"""
