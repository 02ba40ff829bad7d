"""The address widget and its demo journey: the static widget files (``static/``: one
dependency-free script and a small stylesheet), the demo's templates (``templates/``), the
report form's checks (``report``), parish routing (``routing``) and page rendering (``pages``).
GOV.UK Frontend comes from npm (``package.json`` here; ``scripts/setup.sh`` installs it)."""
