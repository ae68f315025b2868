"""Sphinx extension of the course website: a static site that runs nothing remotely.

Jupyter Book 1 always loads sphinx-thebe (live code cells through a Binder, scripts from
a CDN). The site has no such cells, and sphinx-thebe's configuration script comes out twice
on every page ("Identifier 'THEBE_JS_URL' has already been declared" in the console), so
its handlers are disconnected before the pages are read.
"""


def _disconnect_thebe(app):
    for event, listeners in app.events.listeners.items():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup(app):
    app.connect("builder-inited", _disconnect_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
