"""The lab behind lab/labctl.py (see its docstring for the modules and their concerns)."""
