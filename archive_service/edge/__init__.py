"""What the two HTTP edges share: dependencies, the error shape, upload spooling and file responses.

Both ``api/`` (JSON for programs) and ``web/`` (pages for people) import from here; neither imports the other.
The app factory that mounts them both is ``archive_service.app``.
"""
