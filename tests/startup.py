"""The test command's first plugin (`-p tests.startup` in pyproject.toml's addopts): pytest loads it
before the plugins it finds by itself, in the controller and in every xdist worker.

jsonschema, which nbformat imports (and nbval with it, in every pytest process), loads
rfc3987_syntax whenever it is installed (JupyterLab's jupyter-events installs it). That module
compiles 39 Lark grammars on import, about a second of CPU in each process, only for jsonschema's
"iri" formats, which no notebook schema uses. pytest's own processes go without it; the
subprocesses the tests start (the tools, nbgrader, Jupyter Book) import it as a user's would.
"""
import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: `import rfc3987_syntax` raises ImportError
